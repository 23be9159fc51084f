import type { LatencySummary } from '../src/core/histogram.js';
import type { ResultRow } from '../src/core/result.js';

/** A latency summary whose percentiles are all `p50`-based, for table and target tests. */
export function latency(p50: number, p99 = p50 * 2): LatencySummary {
  return { count: 1000, min: p50 / 2, mean: p50, p50, p90: p50, p99, p999: p99, max: p99 * 10 };
}

export function latencyRow(id: string, p50s: number[], extra: Partial<ResultRow> = {}): ResultRow {
  return {
    id,
    section: 'latency',
    label: id,
    metric: { kind: 'latency', reps: p50s.map((p) => latency(p)) },
    ...extra,
  };
}

export function rateRow(id: string, rates: number[], extra: Partial<ResultRow> = {}): ResultRow {
  return { id, section: 'rates', label: id, metric: { kind: 'rate', reps: rates }, ...extra };
}
