/**
 * Redis Streams one-way latency, reader side: XREAD BLOCK from the start of a fresh stream and
 * record arrival − intended send time for every entry past the warm-up.
 *
 *   writer ──XADD──▶ redis-server ──XREAD BLOCK──▶ reader (this process)
 */
import { Redis } from 'ioredis';
import { childMain, monoNow, sendNow } from '../core/child-main.js';
import { newLatencyHistogram, recordNanos, reportHistogram } from '../core/histogram.js';

interface Params {
  port: number;
  key: string;
  total: number;
  warmup: number;
}

type XReadReply = Array<[string, Array<[string, string[]]>]> | null;

childMain(async ({ port, key, total, warmup }: Params) => {
  const redis = new Redis({ port, host: '127.0.0.1' });
  try {
    await redis.ping();
    await sendNow({ type: 'ready' });
    const histogram = newLatencyHistogram();
    let lastId = '0-0';
    let received = 0;
    let lastSeq = -1;
    while (lastSeq < total - 1) {
      const reply = (await redis.xread('COUNT', 1000, 'BLOCK', 0, 'STREAMS', key, lastId)) as XReadReply;
      const arrived = monoNow();
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          const seq = Number(fields[3]);
          if (seq >= warmup) recordNanos(histogram, arrived - Number(fields[1]));
          lastId = id;
          lastSeq = seq;
          received++;
        }
      }
    }
    return { summary: reportHistogram(histogram), received };
  } finally {
    redis.disconnect();
  }
});
