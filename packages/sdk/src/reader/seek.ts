import type { RecordCodec } from '@deepwater/schema-wasm';
import type { ChunkFile } from '../chunk/chunk-file.js';
import { narrowWithIndex } from '../chunk/chunk-index.js';
import { DATA_OFFSET } from '../chunk/layout.js';
import type { FeedRegistry } from '../registry/feed-registry.js';
import { CHUNK_CLOSED, CHUNK_FULL, CHUNK_REMOVED } from '../registry/layout.js';
import type { ChunkCache } from './chunk-cache.js';

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

/** Oldest chunk id a reader can still find in the registry. */
export function oldestChunkId(registry: FeedRegistry, last: number): number {
  return Math.max(1, registry.firstChunkId(), last - registry.slotCapacity + 1);
}

/**
 * Sort key of a chunk for the chunk-level search: its last timestamp. Removed/missing chunks sort
 * first (they are the oldest); the live chunk and empty chunks sort last (+Infinity), which is safe
 * because a position inside an empty chunk is equivalent to the start of the next one.
 */
function chunkKey(
  registry: FeedRegistry,
  cache: ChunkCache,
  codec: RecordCodec,
  id: number,
  last: number,
): number {
  if (id >= last) return Number.POSITIVE_INFINITY;
  const info = registry.chunk(id);
  if (info === undefined || info.state === CHUNK_REMOVED) return Number.NEGATIVE_INFINITY;
  if ((info.state === CHUNK_FULL || info.state === CHUNK_CLOSED) && !Number.isNaN(info.lastTs))
    return info.lastTs;
  // Not yet summarised (a crashed writer's chunk before repair): read it from the data.
  const chunk = cache.get(id);
  if (chunk === undefined) return Number.NEGATIVE_INFINITY;
  const count = chunk.committedAcquire();
  if (count === 0) return Number.POSITIVE_INFINITY;
  return codec.readTimestamp(chunk.view, DATA_OFFSET + (count - 1) * chunk.recordSize);
}

/**
 * Position of the first record with timestamp >= ts: a binary search over chunks by their last
 * timestamp (a chunk whose last ts EQUALS ts qualifies), then a lower bound inside the chunk.
 */
export function seekLowerBound(
  registry: FeedRegistry,
  cache: ChunkCache,
  codec: RecordCodec,
  ts: number,
): FeedPosition {
  const last = registry.lastChunkIdAcquire();
  if (last === 0) return { chunkId: 0, index: 0 };
  let lo = oldestChunkId(registry, last);
  let hi = last;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (chunkKey(registry, cache, codec, mid, last) < ts) lo = mid + 1;
    else hi = mid;
  }
  // Skip chunks whose files are gone; the cursor does the same when it moves on.
  for (let id = lo; id <= last; id++) {
    const chunk = cache.get(id);
    if (chunk === undefined) continue;
    const count = chunk.committedAcquire();
    // Mode 'IF': a sealed chunk's sparse index narrows the search to the records between two entries.
    const index = id < last ? cache.index(id) : undefined;
    const [lo, hi] = index === undefined ? [0, count] : narrowWithIndex(index, ts, count);
    return { chunkId: id, index: lowerBoundInChunk(codec, chunk, ts, lo, hi) };
  }
  return { chunkId: last, index: 0 };
}
