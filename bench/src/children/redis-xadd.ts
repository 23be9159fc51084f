/**
 * Redis Streams write cost, one client:
 *
 *   client ──XADD──▶ redis-server (loopback)   round trip per record, then pipelined batches
 *   client ◀──XRANGE── redis-server               replay of the pipelined stream, page by page
 */
import { Redis } from 'ioredis';
import { childMain } from '../core/child-main.js';
import { newLatencyHistogram, reportHistogram } from '../core/histogram.js';

/** Entries per XRANGE call when replaying. */
export const XRANGE_PAGE = 10_000;

interface Params {
  port: number;
  samples: number;
  warmup: number;
  pipelineRecords: number;
  pipelineBatch: number;
}

childMain(async (params: Params) => {
  const redis = new Redis({ port: params.port, host: '127.0.0.1' });
  try {
    const histogram = newLatencyHistogram();
    const key = `xadd-latency-${process.pid}`;
    for (let i = 0; i < params.warmup + params.samples; i++) {
      const t0 = process.hrtime.bigint();
      await redis.xadd(key, 'MAXLEN', '~', '100000', '*', 'price', '123.45', 'size', '100', 'ts', String(i));
      if (i >= params.warmup) histogram.recordValue(Number(process.hrtime.bigint() - t0));
    }
    await redis.del(key);

    const pipelineKey = `xadd-pipeline-${process.pid}`;
    const start = process.hrtime.bigint();
    for (let done = 0; done < params.pipelineRecords; done += params.pipelineBatch) {
      const pipeline = redis.pipeline();
      for (let i = 0; i < params.pipelineBatch; i++) {
        pipeline.xadd(pipelineKey, '*', 'price', '123.45', 'size', '100', 'ts', String(done + i));
      }
      await pipeline.exec();
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;

    const replayStart = process.hrtime.bigint();
    let replayed = 0;
    let after = '-';
    for (;;) {
      const page = await redis.xrange(pipelineKey, after, '+', 'COUNT', XRANGE_PAGE);
      if (page.length === 0) break;
      replayed += page.length;
      after = `(${page[page.length - 1][0]}`; // exclusive start: the next page begins after this id
    }
    const replaySeconds = Number(process.hrtime.bigint() - replayStart) / 1e9;
    if (replayed !== params.pipelineRecords) {
      throw new Error(`XRANGE replayed ${replayed} entries, expected ${params.pipelineRecords}`);
    }
    await redis.del(pipelineKey);
    return {
      xadd: reportHistogram(histogram),
      pipelinedRate: params.pipelineRecords / seconds,
      xrangeRate: replayed / replaySeconds,
    };
  } finally {
    redis.disconnect();
  }
});
