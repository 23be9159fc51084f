import type { FieldSpec } from './sdk-contract.js';

/** 24 bytes: the size of a trade tick, and of the records in the seed's published numbers. */
export const TICK_24: FieldSpec[] = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_ns', type: 'uint64' },
];

/** 64 bytes: a top-of-book quote, one cache line. */
export const QUOTE_64: FieldSpec[] = [
  { name: 'timestamp_ns', type: 'uint64' },
  { name: 'bid', type: 'float64' },
  { name: 'ask', type: 'float64' },
  { name: 'bid_size', type: 'float64' },
  { name: 'ask_size', type: 'float64' },
  { name: 'last', type: 'float64' },
  { name: 'volume', type: 'float64' },
  { name: 'vwap', type: 'float64' },
];

/** 24 bytes for latency runs: the intended send time (CLOCK_MONOTONIC ns) is the timestamp. */
export const PROBE_24: FieldSpec[] = [
  { name: 'sent_ns', type: 'uint64' },
  { name: 'seq', type: 'uint64' },
  { name: 'price', type: 'float64' },
];

/**
 * The chunk size (MiB) of the children's feeds: the sdk's default (DEFAULT_CHUNK_SIZE_MB), so the rows
 * measure what a feed created without options gets. 63, not 64: a 64 MiB chunk's mapping (data + 4 KiB
 * header) starts a full V8 collection each time it is mapped (see the sdk README, Feed spec).
 */
export const CHUNK_SIZE_MB = 63;

export const TS_COL = { tick: 'timestamp_ns', quote: 'timestamp_ns', probe: 'sent_ns' } as const;

/** A values tuple for a record of `size` bytes with timestamp `ts`, in field order. */
export function sampleTuple(size: 24 | 64, ts: number): number[] {
  return size === 24 ? [101.25, 3, ts] : [ts, 101.25, 101.5, 7, 9, 101.3, 1200, 101.28];
}

export function sampleObject(size: 24 | 64, ts: number): Record<string, number> {
  const fields = size === 24 ? TICK_24 : QUOTE_64;
  const values = sampleTuple(size, ts);
  return Object.fromEntries(fields.map((field, i) => [field.name, values[i]]));
}

/** Index of the timestamp in a `sampleTuple(size, …)`. */
export function tsIndexOf(size: 24 | 64): number {
  return size === 24 ? 2 : 0;
}
