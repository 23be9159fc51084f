import { atomicsPingPong } from './baselines/atomics-pingpong.js';
import { rawFixedRate } from './baselines/raw-fixed-rate.js';
import { rawPingPong } from './baselines/raw-pingpong.js';
import { redisStreams } from './baselines/redis-streams.js';
import { natsBridge } from './bridge/nats-bridge.js';
import type { Scenario } from './core/scenario.js';
import { columnarInterchange } from './deepwater/columnar.js';
import { diskLatency, ringLatency } from './deepwater/latency.js';
import { diskPingPong, ringPingPong } from './deepwater/pingpong.js';
import { diskReplay, diskSeek } from './deepwater/replay.js';
import { ringThroughput } from './deepwater/ring-throughput.js';
import { diskWriteCost, ringWriteCost, writePair } from './deepwater/write-cost.js';
import { ingestReplay } from './ingest/replay.js';

/**
 * Every scenario in run order: baselines first, so Deepwater rows are compared with baselines
 * from the same run; the Coinbase ingest replay (apps/ingest-example end to end) last.
 */
export const SCENARIOS: Scenario[] = [
  rawPingPong,
  rawFixedRate,
  atomicsPingPong,
  redisStreams,
  diskWriteCost,
  ringWriteCost,
  writePair,
  diskLatency,
  ringLatency,
  diskPingPong,
  ringPingPong,
  diskReplay,
  diskSeek,
  ringThroughput,
  columnarInterchange,
  ingestReplay,
  natsBridge,
];
