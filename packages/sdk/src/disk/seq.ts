import type { ChunkCache } from './chunk-cache.js';
import type { FeedRegistry } from './feed-registry.js';
import { type FeedPosition, oldestChunkId } from './seek.js';

/**
 * Seq ↔ position on disk. A record's seq is its chunk's firstSeq (stored in the chunk header, copied
 * into the registry slot, and checked by repair: firstSeq[n + 1] = firstSeq[n] + count[n]) plus its
 * index in the chunk, so finding a seq is a binary search over chunks by firstSeq.
 */

/** Where a seq search lands, and how many requested seqs before it the feed no longer holds. */
export interface SeqPosition extends FeedPosition {
  /** Seqs below the position that are gone (retention) or were never held; 0 when none. */
  missing: number;
}

/** firstSeq of chunk `id` from its registry slot, else from its header; undefined for a hole. */
export function chunkFirstSeq(registry: FeedRegistry, cache: ChunkCache, id: number): number | undefined {
  const slot = registry.chunk(id);
  if (slot !== undefined && Number.isFinite(slot.firstSeq)) return slot.firstSeq;
  return cache.get(id)?.firstSeq;
}

/** The seq the next record written will get (0 for an empty feed). */
export function nextSeqOf(registry: FeedRegistry, cache: ChunkCache): number {
  const last = registry.lastChunkIdAcquire();
  if (last === 0) return 0;
  const chunk = cache.get(last);
  if (chunk !== undefined) return chunk.firstSeq + chunk.committedAcquire();
  return chunkFirstSeq(registry, cache, last) ?? 0;
}

/**
 * Position of the record with seq `seq` (or of the first record after it that the feed holds): the
 * chunk with the greatest firstSeq <= seq, then the index inside it — clamped to the chunk's
 * committed count, so a seq not written yet positions at the live end (the caller skips on to it).
 */
export function seekSeq(registry: FeedRegistry, cache: ChunkCache, seq: number): SeqPosition {
  const last = registry.lastChunkIdAcquire();
  if (last === 0) return { chunkId: 0, index: 0, missing: 0 };
  let lo = oldestChunkId(registry, last);
  let hi = last;
  // Greatest id in [lo, last] whose firstSeq <= seq; holes without a key take the next keyed one's.
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    let keyed = mid;
    let key = chunkFirstSeq(registry, cache, keyed);
    while (key === undefined && keyed < hi) key = chunkFirstSeq(registry, cache, ++keyed);
    if (key === undefined || key > seq) hi = mid - 1;
    else lo = keyed;
  }
  // The first chunk from there whose file exists (retention or repair may have removed some).
  for (let id = lo; id <= last; id++) {
    const chunk = cache.get(id);
    if (chunk === undefined) continue;
    const count = chunk.committedAcquire();
    if (seq < chunk.firstSeq) return { chunkId: id, index: 0, missing: chunk.firstSeq - seq };
    const index = seq - chunk.firstSeq;
    if (index < count || id === last) return { chunkId: id, index: Math.min(index, count), missing: 0 };
  }
  return { chunkId: last, index: 0, missing: 0 };
}
