/**
 * Sizes and durations per run profile. --quick must finish in under 2 minutes on a 2-core
 * machine and the full run in under 15: each figure below was chosen with that budget in mind.
 */
export interface Profile {
  name: 'quick' | 'full';
  /** Repetitions of the cheap, placement-sensitive scenarios (ping-pongs, spin latency). */
  reps: number;
  /** Repetitions of the expensive scenarios (write cost, replay, throughput). */
  heavyReps: number;
  pingPongIterations: number;
  /** Time cap per ping-pong repetition: on a busy machine each round trip can wait for a time slice. */
  pingPongSeconds: number;
  /** Fixed send rates for cross-process latency, records per second. */
  latencyRates: number[];
  /** Repetitions of each latency run other than the target rows (sync spin at 100K/s). */
  latencyReps: number;
  /** Measured seconds per latency run (after warm-up). */
  latencySeconds: number;
  latencyWarmupSeconds: number;
  /** Records written per write method and record size. */
  writeRecords: number;
  replayRecords: number;
  seekRecords: number;
  seekSamples: number;
  /** Time cap on the seek sampling (not on loading the feed). */
  seekSeconds: number;
  ringThroughputSeconds: number;
  redisXaddSamples: number;
  redisPipelineRecords: number;
  /** Rate of the Redis one-way latency runs: Redis cannot be paced at Deepwater's higher rates. */
  redisRate: number;
}

export const QUICK: Profile = {
  name: 'quick',
  reps: 3,
  heavyReps: 1,
  pingPongIterations: 200_000,
  pingPongSeconds: 2,
  latencyRates: [10_000, 100_000, 1_000_000],
  latencyReps: 1,
  latencySeconds: 0.3,
  latencyWarmupSeconds: 0.1,
  writeRecords: 500_000,
  replayRecords: 2_000_000,
  seekRecords: 10_000_000,
  seekSamples: 20_000,
  seekSeconds: 5,
  ringThroughputSeconds: 1,
  redisXaddSamples: 20_000,
  redisPipelineRecords: 200_000,
  redisRate: 10_000,
};

export const FULL: Profile = {
  name: 'full',
  reps: 5,
  heavyReps: 3,
  pingPongIterations: 2_000_000,
  pingPongSeconds: 5,
  latencyRates: [10_000, 100_000, 1_000_000],
  latencyReps: 2,
  latencySeconds: 2,
  latencyWarmupSeconds: 0.5,
  writeRecords: 5_000_000,
  replayRecords: 10_000_000,
  seekRecords: 100_000_000,
  seekSamples: 100_000,
  seekSeconds: 20,
  ringThroughputSeconds: 3,
  redisXaddSamples: 100_000,
  redisPipelineRecords: 1_000_000,
  redisRate: 10_000,
};

export function rateLabel(rate: number): string {
  if (rate >= 1_000_000) return `${rate / 1_000_000}m`;
  if (rate >= 1_000) return `${rate / 1_000}k`;
  return String(rate);
}

/** Warm-up round trips before a ping-pong is measured: enough for the JIT, capped so a busy machine does not stretch it. */
export function pingPongWarmup(iterations: number): number {
  return Math.min(50_000, Math.max(10_000, iterations >> 3));
}
