import type { RecordCodec } from '@deepwater/schema-wasm';
import { type ExactTimestampReader, isBelow, type TimeBound } from '../reader/time-bound.js';
import { CHUNK_CLOSED, CHUNK_FULL, CHUNK_REMOVED } from '../registry/layout.js';
import type { ChunkCache } from './chunk-cache.js';
import type { ChunkFile } from './chunk-file.js';
import { narrowWithIndex } from './chunk-index.js';
import { DATA_OFFSET } from './chunk-layout.js';
import type { FeedRegistry } from './feed-registry.js';

export interface FeedPosition {
  /** 0 = before the first chunk. */
  chunkId: number;
  /** Record index inside the chunk. */
  index: number;
}

/** Interpolation steps before plain bisection (each also re-reads the run's two ends, warm). */
const INTERPOLATION_STEPS = 3;
/** Below this many records, bisect: its probes sit on one or two pages anyway. */
const INTERPOLATION_MIN_RUN = 64;

/**
 * First index in [lo, hi) whose timestamp is >= ts (hi if none), over the mapping.
 *
 * A few interpolation probes first: market-data timestamps are near-uniform within a chunk, so
 * guessing the position from the run's first and last timestamps lands within a few pages of the
 * answer, where plain bisection of a 64 MB chunk touches ~12 cold pages (each a cache and TLB
 * miss, or a page fault). Each probe still halves nothing it should not: the bound stays exact, and
 * bursty data costs at most the few extra probes before bisection takes over — O(log n) at worst.
 */
export function lowerBoundInChunk(
  codec: RecordCodec,
  chunk: ChunkFile,
  ts: number,
  lo: number,
  hi: number,
): number {
  const view = chunk.view;
  const recordSize = chunk.recordSize;
  for (let step = 0; step < INTERPOLATION_STEPS && hi - lo > INTERPOLATION_MIN_RUN; step++) {
    const first = codec.readTimestamp(view, DATA_OFFSET + lo * recordSize);
    if (!(first < ts)) return lo;
    const last = codec.readTimestamp(view, DATA_OFFSET + (hi - 1) * recordSize);
    if (last < ts) return hi;
    // first < ts <= last: the answer is in (lo, hi - 1].
    const guess = lo + 1 + Math.floor(((ts - first) / (last - first)) * (hi - 2 - lo));
    const mid = Math.min(Math.max(guess, lo + 1), hi - 1);
    if (codec.readTimestamp(view, DATA_OFFSET + mid * recordSize) < ts) lo = mid + 1;
    else hi = mid;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (codec.readTimestamp(view, DATA_OFFSET + mid * recordSize) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Same result as lowerBoundInChunk, searched outward from `lo` (galloping): O(log k) probes when
 * the answer is k records past `lo`. A range's end is usually near its start, so the end search
 * touches the pages the start search just touched instead of another 20-odd cold ones.
 */
export function lowerBoundFrom(
  codec: RecordCodec,
  chunk: ChunkFile,
  ts: number,
  lo: number,
  hi: number,
): number {
  const view = chunk.view;
  const recordSize = chunk.recordSize;
  let step = 1;
  let bound = lo;
  while (bound < hi && codec.readTimestamp(view, DATA_OFFSET + bound * recordSize) < ts) {
    lo = bound + 1;
    bound = lo + step;
    step *= 2;
  }
  return lowerBoundInChunk(codec, chunk, ts, lo, Math.min(bound, hi));
}

/**
 * First index in [lo, hi) whose timestamp is >= bound, exactly: the rounded search above, then, only
 * for a bound beyond the safe-integer range, the records whose rounded timestamp ties with the
 * bound's are settled by exact 64-bit reads (galloping from the rounded answer: the ties are few).
 */
export function lowerBoundExact(
  codec: RecordCodec,
  readExact: ExactTimestampReader,
  chunk: ChunkFile,
  bound: TimeBound,
  lo: number,
  hi: number,
  from = false,
): number {
  const index = from
    ? lowerBoundFrom(codec, chunk, bound.approx, lo, hi)
    : lowerBoundInChunk(codec, chunk, bound.approx, lo, hi);
  if (bound.exact === undefined) return index;
  const view = chunk.view;
  const below = (i: number) => {
    const o = DATA_OFFSET + i * chunk.recordSize;
    return isBelow(codec.readTimestamp(view, o), bound, readExact, view, o);
  };
  // below() is true then false over [index, count): gallop to a false, then bisect.
  const count = chunk.committedAcquire();
  let first = index;
  let step = 1;
  let end = first;
  while (end < count && below(end)) {
    first = end + 1;
    end = first + step;
    step *= 2;
  }
  end = Math.min(end, count);
  while (first < end) {
    const mid = (first + end) >>> 1;
    if (below(mid)) first = mid + 1;
    else end = mid;
  }
  return first;
}

/**
 * Oldest chunk id a reader looks at: the registry's first chunk id. The registry's slots cache the
 * newest 16,384 chunks only; an older chunk is read from its own header (count, firstSeq) and
 * data (timestamps), so any number of chunks stays reachable.
 */
export function oldestChunkId(registry: FeedRegistry, _last: number): number {
  return Math.max(1, registry.firstChunkId());
}

/**
 * Sort key of a chunk for the chunk-level search: its last timestamp (from the registry, a
 * monotone rounding of the exact value; or read from the data when the registry has no summary).
 * The live chunk sorts last (+Infinity). A hole — a chunk removed (by repair or retention), whose
 * slot is damaged or reused, whose file is missing, or that holds no record — has no key of its
 * own: undefined, and the search gives it its next valid neighbour's key, which keeps the keys
 * non-decreasing wherever holes are.
 */
function chunkKey(
  registry: FeedRegistry,
  cache: ChunkCache,
  codec: RecordCodec,
  id: number,
  last: number,
): number | undefined {
  if (id >= last) return Number.POSITIVE_INFINITY;
  // Slot reads that allocate nothing (registry.chunk() builds an object per probe).
  const state = id >= 1 ? registry.chunkState(id) : 0;
  if (state === CHUNK_REMOVED) return undefined;
  if (state === CHUNK_FULL || state === CHUNK_CLOSED) {
    const lastTs = registry.summaryLastTs(id);
    if (!Number.isNaN(lastTs)) return lastTs;
  }
  // Not summarised (a crashed writer's chunk before repair, or a damaged slot): read the data.
  const chunk = cache.get(id);
  if (chunk === undefined) return undefined;
  const count = chunk.committedAcquire();
  if (count === 0) return undefined;
  return codec.readTimestamp(chunk.view, DATA_OFFSET + (count - 1) * chunk.recordSize);
}

/**
 * Position of the first record with timestamp >= bound: a binary search over chunks by their last
 * timestamp (a chunk whose last ts EQUALS the bound qualifies), then a lower bound inside the chunk.
 *
 * Registry keys are rounded (f64), so the search compares them with the rounded bound: every chunk
 * before the one it finds ends below the bound exactly (r(last) < r(q) ⇒ last < q), and the exact
 * answer is in that chunk or after it. A position at a chunk's end is the same as the start of the
 * next chunk, so both the cursor and range() simply walk on.
 */
export function seekLowerBound(
  registry: FeedRegistry,
  cache: ChunkCache,
  codec: RecordCodec,
  readExact: ExactTimestampReader,
  bound: TimeBound,
): FeedPosition {
  const last = registry.lastChunkIdAcquire();
  if (last === 0) return { chunkId: 0, index: 0 };
  const ts = bound.approx;
  let lo = oldestChunkId(registry, last);
  let hi = last;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    // A hole takes the key of the next chunk that has one (the live chunk always has one).
    let keyed = mid;
    let key = chunkKey(registry, cache, codec, keyed, last);
    while (key === undefined) key = chunkKey(registry, cache, codec, ++keyed, last);
    if (key < ts) lo = Math.min(keyed + 1, hi);
    else hi = mid;
  }
  // Skip chunks whose files are gone; the cursor does the same when it moves on.
  for (let id = lo; id <= last; id++) {
    const chunk = cache.get(id);
    if (chunk === undefined) continue;
    const count = chunk.committedAcquire();
    // Mode 'IF': a sealed chunk's sparse index narrows the search to the records between two entries.
    const index = id < last ? cache.index(id) : undefined;
    const at =
      index === undefined
        ? lowerBoundExact(codec, readExact, chunk, bound, 0, count)
        : lowerBoundExact(codec, readExact, chunk, bound, ...narrowWithIndex(index, ts, count));
    // Every record here is below the bound (its last ts ties with the bound only when rounded):
    // the answer is further on, and the next chunk may tie too.
    if (at < count || id === last) return { chunkId: id, index: at };
  }
  return { chunkId: last, index: 0 };
}
