/**
 * Redis Streams one-way latency, writer side:
 *
 *   writer (cpu 0) ──XADD t=intended──▶ redis-server ──XREAD BLOCK──▶ reader (cpu 1)
 *
 * Sends at a fixed rate; each entry carries its intended send time (CLOCK_MONOTONIC ns), so a
 * send that runs late still counts its lateness (no coordinated omission). Sends are open-loop
 * (not awaited one by one) so a slow reply never delays the next send; between sends the event
 * loop runs so replies are drained.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { childMain, monoNow, nextMessage, sendNow } from '../core/child-main.js';

interface Params {
  port: number;
  key: string;
  rate: number;
  total: number;
}

childMain(async ({ port, key, rate, total }: Params) => {
  const redis = new Redis({ port, host: '127.0.0.1' });
  try {
    await redis.ping();
    await sendNow({ type: 'ready' });
    await nextMessage('go');
    const interval = 1e9 / rate;
    const start = monoNow() + 1_000_000;
    const replies: Promise<unknown>[] = [];
    // A double accumulator, as in dw-latency-writer.ts: no int32 overflow (and recompilation of
    // this loop) inside the measured window.
    let next = start;
    for (let seq = 0; seq < total; seq++) {
      const intended = Math.round(next);
      next += interval;
      for (let now = monoNow(); now < intended; now = monoNow()) {
        if (intended - now > 20_000) await yieldToEventLoop();
      }
      replies.push(redis.xadd(key, '*', 't', String(intended), 's', String(seq)));
    }
    await Promise.all(replies);
    return { sent: total };
  } finally {
    redis.disconnect();
  }
});
