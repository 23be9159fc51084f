import { writeFileAtomic } from '../registry/atomic-file.js';
import type { ChunkFile } from './chunk-file.js';

/**
 * Where a chunk's records really end, decided from the records themselves rather than from one
 * header word (see ARCHITECTURE.md, "Recovery invariants"): an all-zero record slot after the last
 * written one is preallocated space, not data; a written record is data unless timestamps say otherwise.
 */

/** True when the record's bytes are all zero (never written since the file was preallocated). */
export function recordIsBlank(chunk: ChunkFile, index: number): boolean {
  const start = chunk.recordOffset(index);
  const end = start + chunk.recordSize;
  const bytes = chunk.bytes;
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Index after the last written (non-blank) record below `limit`; 0 when every slot is blank. */
export function dataEnd(chunk: ChunkFile, limit: number): number {
  let end = limit;
  while (end > 0 && recordIsBlank(chunk, end - 1)) end--;
  return end;
}

/**
 * `count` without the all-zero slots at its end that cannot be records: an all-zero record has
 * timestamp 0, so after a record with a later timestamp (or after `floorTs`, the previous chunk's
 * last) it would put the feed out of order — the count was raised past the data. A feed whose
 * timestamps really are 0 keeps its all-zero records.
 */
export function withoutBlankTail(
  chunk: ChunkFile,
  count: number,
  tsAt: (i: number) => number,
  floorTs = Number.NEGATIVE_INFINITY,
): number {
  const end = dataEnd(chunk, count);
  if (end === count) return count;
  const before = end > 0 ? tsAt(end - 1) : floorTs;
  return before > 0 ? end : count;
}

/** Index of the first blank record at or after `from` (below `limit`): where contiguous writes stop. */
export function writtenEnd(chunk: ChunkFile, from: number, limit: number): number {
  let end = from;
  while (end < limit && !recordIsBlank(chunk, end)) end++;
  return end;
}

/** The first index in (from, to) whose timestamp is below its predecessor's, or `to` if none. */
export function orderHoldsUntil(tsAt: (i: number) => number, from: number, to: number): number {
  if (to - from < 2) return to;
  let previous = tsAt(Math.max(0, from));
  for (let i = Math.max(0, from) + 1; i < to; i++) {
    const ts = tsAt(i);
    if (!(ts >= previous)) return i;
    previous = ts;
  }
  return to;
}

/**
 * How many records of a sealed chunk (rotated away, so it has no crash-torn tail) are data: every
 * written record up to the last one, as long as timestamps keep their order past the header's count.
 */
export function sealedRecordCount(
  chunk: ChunkFile,
  headerCount: number,
  tsAt: (i: number) => number,
  floorTs = Number.NEGATIVE_INFINITY,
): number {
  const counted = Math.min(headerCount, chunk.countLimit);
  const end = dataEnd(chunk, chunk.countLimit);
  if (end <= counted) return withoutBlankTail(chunk, counted, tsAt, floorTs);
  return orderHoldsUntil(tsAt, counted - 1, end);
}

/**
 * Copies records [from, to) of a chunk to `<chunk>.tail-<from>` before they are overwritten or
 * cleared, so bytes a crash left unpublished stay restorable. Returns the copy's path.
 */
export function saveTail(chunk: ChunkFile, from: number, to: number): string {
  const path = `${chunk.path}.tail-${from}`;
  // Through a temp file and a rename: a link planted at `path` is replaced, never written through.
  writeFileAtomic(path, chunk.bytes.subarray(chunk.recordOffset(from), chunk.recordOffset(to)));
  return path;
}
