import type { LatencySummary } from './histogram.js';
import type { ResultRow } from './result.js';
import { type Spread, spreadOf } from './spread.js';

/**
 * The figure a row is judged by, per repetition: p50 for latencies and costs (ns), the rate for
 * throughputs (rec/s). Costs are compared as ns per record, rates as records per second.
 */
export function headlineValues(row: ResultRow): number[] {
  const metric = row.metric;
  if (!metric) return [];
  if (metric.kind === 'rate') return metric.reps;
  return metric.reps.map((rep) => rep.p50);
}

export function headlineSpread(row: ResultRow): Spread {
  return spreadOf(headlineValues(row));
}

/** The median across repetitions of one percentile (max is the max over all repetitions). */
export function percentileAcrossReps(
  reps: readonly LatencySummary[],
  key: Exclude<keyof LatencySummary, 'hdr'>,
): number {
  if (key === 'max') return Math.max(...reps.map((rep) => rep.max));
  return spreadOf(reps.map((rep) => rep[key])).median;
}

/** Nanoseconds a row costs per record (median across repetitions), for ratios across kinds. */
export function nanosPerRecord(row: ResultRow): number | undefined {
  const metric = row.metric;
  if (!metric) return undefined;
  if (metric.kind === 'rate') {
    const rate = spreadOf(metric.reps).median;
    return rate > 0 ? 1e9 / rate : undefined;
  }
  return percentileAcrossReps(metric.reps, 'p50');
}
