import type { LatencySummary } from './histogram.js';

/**
 * What a scenario measured, one repetition per array element.
 * - latency: one-way or round-trip times in ns (from an HdrHistogram).
 * - cost: per-record cost in ns (block-averaged, from an HdrHistogram), with the achieved rate.
 * - rate: records per second (and bytes per record when GB/s means something).
 */
export type Metric =
  | { kind: 'latency'; reps: LatencySummary[] }
  | { kind: 'cost'; reps: LatencySummary[]; ratesPerSecond: number[] }
  | { kind: 'rate'; reps: number[]; bytesPerRecord?: number };

/** Which same-run baseline a row is compared with; the CLI fills `ratios` from it. */
export interface Comparison {
  /** id of the raw-limit row: the ratio printed is this row / raw (lower is better). */
  raw?: string;
  /** id of the Redis row: the ratio printed is Redis cost / this row's cost (higher is better). */
  redis?: string;
}

export interface ResultRow {
  /** Stable id used by targets.json and for comparing runs, e.g. `latency.disk.spin.100k`. */
  id: string;
  section: string;
  label: string;
  metric?: Metric;
  /** Set instead of `metric` when the scenario could not run: the reason, verbatim. */
  unavailable?: string;
  note?: string;
  /** Records a reader missed (ring overrun), where the scenario counts them. */
  lostRecords?: number;
  /** The most the JS heap grew during one repetition, where the scenario measures it (bytes). */
  heapGrowthBytes?: number;
  /** Set when --quick measured a smaller case than the target names, e.g. "a 10 M-record feed (--quick)". */
  scaledDown?: string;
  compare?: Comparison;
  ratios?: { vsRaw?: number; redisOverThis?: number };
}

export function unavailableRows(
  rows: ReadonlyArray<Pick<ResultRow, 'id' | 'section' | 'label'>>,
  reason: string,
): ResultRow[] {
  return rows.map((row) => ({ ...row, unavailable: reason }));
}
