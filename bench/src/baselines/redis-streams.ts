/**
 * Redis Streams baselines against a redis-server this run starts (loopback, no persistence):
 *
 *   client ──XADD──▶ redis-server                         write round trip, pipelined throughput
 *   writer (cpu 0) ──XADD──▶ redis-server ──XREAD BLOCK──▶ reader (cpu 1)   one-way latency
 *
 * When redis-server cannot be found or installed, every row says why instead of vanishing.
 */
import { BenchChild, runChild } from '../core/child.js';
import type { LatencySummary } from '../core/histogram.js';
import { rateLabel } from '../core/profile.js';
import { type ResultRow, unavailableRows } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { findRedisServer, type RedisServer, startRedisServer } from '../redis/redis-server.js';
import { RAW_ROW_ID } from './raw-pingpong.js';

export const REDIS_ONEWAY_ROW_ID = 'baseline.redis-oneway';
export const REDIS_PIPELINED_ROW_ID = 'baseline.redis-pipelined';
export const REDIS_XRANGE_ROW_ID = 'baseline.redis-xrange';
const REDIS_XADD_ROW_ID = 'baseline.redis-xadd';

export const redisStreams: Scenario = {
  id: 'baseline.redis',
  title: 'Redis Streams via ioredis',
  async run(context) {
    const rate = context.profile.redisRate;
    const rowShapes = [
      {
        id: REDIS_ONEWAY_ROW_ID,
        section: 'Baselines: cross-process one-way latency',
        label: `Redis XADD→XREAD BLOCK @${rateLabel(rate)}/s`,
      },
      {
        id: REDIS_XADD_ROW_ID,
        section: 'Redis Streams: write round trip',
        label: 'Redis XADD round trip, 1 client',
      },
      {
        id: REDIS_PIPELINED_ROW_ID,
        section: 'Redis Streams: throughput',
        label: 'Redis XADD pipelined ×1000',
      },
      {
        id: REDIS_XRANGE_ROW_ID,
        section: 'Redis Streams: throughput',
        label: 'Redis XRANGE replay, 10000 per call',
      },
    ];
    let server: RedisServer;
    try {
      const binary = findRedisServer(context.log);
      // On the reader's cpu: the reader sleeps in XREAD BLOCK while the writer spins on cpu 0.
      const cpu = context.pinning.available ? 1 : undefined;
      server = await startRedisServer(binary, context.tempDir('redis'), cpu);
    } catch (error) {
      const reason = `Redis baseline unavailable: ${error instanceof Error ? error.message : String(error)}`;
      console.log(reason);
      return unavailableRows(rowShapes, reason);
    }
    try {
      context.log(`redis-server ${server.version} on 127.0.0.1:${server.port} (no persistence)`);
      const oneWay: LatencySummary[] = [];
      for (let rep = 0; rep < context.profile.reps; rep++)
        oneWay.push(await oneWayLatency(server.port, rep, context));
      const write = await runChild<{ xadd: LatencySummary; pipelinedRate: number; xrangeRate: number }>(
        'redis-xadd.js',
        {
          port: server.port,
          samples: context.profile.redisXaddSamples,
          warmup: Math.min(5_000, context.profile.redisXaddSamples),
          pipelineRecords: context.profile.redisPipelineRecords,
          pipelineBatch: 1000,
        },
        context.pinning,
        { cpu: 0, timeoutMs: 300_000 },
      );
      const placement = context.pinning.available ? 'on cpu 1 with the reader' : 'unpinned';
      const note = `redis-server ${server.version} ${placement}, loopback TCP`;
      const rows: ResultRow[] = [
        { ...rowShapes[0], metric: { kind: 'latency', reps: oneWay }, compare: { raw: RAW_ROW_ID }, note },
        { ...rowShapes[1], metric: { kind: 'latency', reps: [write.xadd] } },
        { ...rowShapes[2], metric: { kind: 'rate', reps: [write.pipelinedRate] } },
        { ...rowShapes[3], metric: { kind: 'rate', reps: [write.xrangeRate] } },
      ];
      return rows;
    } finally {
      await server.stop();
    }
  },
};

async function oneWayLatency(port: number, rep: number, context: ScenarioContext): Promise<LatencySummary> {
  const { redisRate: rate, latencySeconds, latencyWarmupSeconds } = context.profile;
  const warmup = Math.round(rate * latencyWarmupSeconds);
  const total = warmup + Math.round(rate * latencySeconds);
  const key = `oneway-${process.pid}-${rep}`;
  const timeoutMs = 60_000 + (total / rate) * 4000;
  const reader = new BenchChild('redis-stream-reader.js', { port, key, total, warmup }, context.pinning, {
    cpu: 1,
    timeoutMs,
  });
  const writer = new BenchChild('redis-stream-writer.js', { port, key, rate, total }, context.pinning, {
    cpu: 0,
    timeoutMs,
  });
  try {
    await Promise.all([reader.waitFor('ready'), writer.waitFor('ready')]);
    writer.send({ type: 'go' });
    const [read] = await Promise.all([
      reader.result<{ summary: LatencySummary; received: number }>(),
      writer.result<{ sent: number }>(),
    ]);
    return read.summary;
  } finally {
    reader.kill();
    writer.kill();
  }
}
