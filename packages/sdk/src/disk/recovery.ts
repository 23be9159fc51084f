import type { FeedContext } from '../platform/feed-context.js';
import { CHUNK_ACTIVE, CHUNK_CLOSED, CHUNK_FULL, CHUNK_REMOVED } from '../registry/layout.js';
import { dataEnd, saveTail, sealedRecordCount, withoutBlankTail, writtenEnd } from './chunk-data.js';
import { ChunkFile } from './chunk-file.js';
import { C_COMMITTED_COUNT_INDEX, DATA_OFFSET } from './chunk-layout.js';
import type { FeedRegistry } from './feed-registry.js';

export interface WriterStartState {
  chunk: ChunkFile;
  count: number;
  chunkFirstTs: number;
  lastTs: number;
}

/** How far back a new writer looks for chunks a crashed writer left unsealed or for the last timestamp. */
const REPAIR_LOOKBACK_CHUNKS = 64;

function tsAt(ctx: FeedContext, chunk: ChunkFile, index: number): number {
  return ctx.codec.readTimestamp(chunk.view, DATA_OFFSET + index * chunk.recordSize);
}

/**
 * Brings the feed to a consistent state for a new writer (which holds the lock) and returns where to
 * append. The published counts in chunk headers are the truth; registry metadata is rebuilt from
 * them, so whatever a crashed writer (SIGKILL) left half-done is repaired here:
 * - chunks before the last one still marked active (crash mid-rotation) are sealed from their data;
 * - the last chunk's firstTs/lastTs are recomputed from its records; bytes past its count are ignored;
 * - a chunk file created but never registered is simply re-initialised at the next rotation.
 */
export function recoverWriterState(ctx: FeedContext, registry: FeedRegistry): WriterStartState {
  const last = registry.lastChunkIdAcquire();
  if (last === 0) {
    const chunk = ChunkFile.create(ctx.feedDir, 1, registry.recordSize, registry.recordsPerChunk, 0, {
      mode: ctx.fileMode,
      feed: ctx.feedName,
    });
    registry.initChunkSlot(1, Date.now() * 1000, 0);
    if (registry.firstChunkId() === 0) registry.setFirstChunkId(1);
    registry.publishLastChunkId(1);
    return { chunk, count: 0, chunkFirstTs: Number.NaN, lastTs: Number.NEGATIVE_INFINITY };
  }

  const geometry = registry.chunkGeometry();
  for (let id = last - 1; id >= Math.max(1, last - REPAIR_LOOKBACK_CHUNKS); id--) {
    if (registry.chunkState(id) !== CHUNK_ACTIVE) break;
    const stale = ChunkFile.open(ctx.feedDir, id, ctx.feedName, { readOnly: true, geometry });
    if (stale === undefined) {
      registry.setChunkSummary(id, CHUNK_REMOVED, 0, Number.NaN, Number.NaN);
      continue;
    }
    // Rotated away, so it has no torn tail: its records are what the data says, not the header word.
    const count = sealedRecordCount(stale, stale.committedAcquire(), (i) => tsAt(ctx, stale, i));
    const first = count > 0 ? tsAt(ctx, stale, 0) : Number.NaN;
    const lastTs = count > 0 ? tsAt(ctx, stale, count - 1) : Number.NaN;
    if (count > 0) {
      registry.setExactTs(id, 'first', stale.view, stale.recordOffset(0) + ctx.layout.tsOffset);
      registry.setExactTs(id, 'last', stale.view, stale.recordOffset(count - 1) + ctx.layout.tsOffset);
    }
    registry.setChunkSummary(id, CHUNK_FULL, count, first, lastTs);
    ctx.logger.warn(
      { feed: ctx.feedName, chunk: id, records: count },
      'sealed a chunk left active by a crashed writer',
    );
    stale.close();
  }

  // A damaged header (ERR_CORRUPT) stops the writer here: continuing elsewhere would hide the chunk.
  let chunk = ChunkFile.open(ctx.feedDir, last, ctx.feedName, { readOnly: false, geometry });
  if (chunk === undefined) {
    // The current chunk's file is gone: nothing of it can be lost, continue in a fresh one. Its
    // slot still says where its seqs began; the fresh chunk continues after what it had published.
    const slot = registry.chunk(last);
    const firstSeq = slot === undefined ? 0 : slot.firstSeq + slot.recordCount;
    registry.setChunkSummary(last, CHUNK_REMOVED, 0, Number.NaN, Number.NaN);
    chunk = ChunkFile.create(ctx.feedDir, last + 1, registry.recordSize, registry.recordsPerChunk, firstSeq, {
      mode: ctx.fileMode,
      feed: ctx.feedName,
    });
    registry.initChunkSlot(last + 1, Date.now() * 1000, firstSeq);
    registry.publishLastChunkId(last + 1);
    return { chunk, count: 0, chunkFirstTs: Number.NaN, lastTs: previousLastTs(registry, last) };
  }

  const count = resumeCount(ctx, registry, chunk, last);
  const chunkFirstTs = count > 0 ? tsAt(ctx, chunk, 0) : Number.NaN;
  const before = previousLastTs(registry, last);
  // Never below what earlier chunks hold, whatever this chunk's records say.
  const lastTs = count > 0 ? Math.max(tsAt(ctx, chunk, count - 1), before) : before;
  // A clean close marks the chunk closed: still active means the previous writer died with it open.
  if (registry.chunkState(last) === CHUNK_ACTIVE) {
    ctx.logger.warn(
      { feed: ctx.feedName, chunk: last, records: count, previousWriterPid: registry.writerPid() || null },
      'recovered a feed whose previous writer did not close it (crash or kill)',
    );
  }
  if (count > 0) registry.setExactTs(last, 'first', chunk.view, chunk.recordOffset(0) + ctx.layout.tsOffset);
  // Resume appending: back to 'active' (a clean close left it 'closed').
  registry.setChunkSummary(last, CHUNK_ACTIVE, 0, chunkFirstTs, Number.NaN);
  return { chunk, count, chunkFirstTs, lastTs };
}

/**
 * Where the new writer appends in the last chunk, decided from the data: all-zero slots under the
 * header's count are not records (the count was raised past the data); a cleanly closed chunk whose
 * registry entry counts more written records than the header keeps them; bytes a crash left past
 * the count are copied aside (`.tail-N`) before the writer overwrites them.
 */
function resumeCount(ctx: FeedContext, registry: FeedRegistry, chunk: ChunkFile, id: number): number {
  const header = chunk.committedWord();
  const at = (i: number) => tsAt(ctx, chunk, i);
  let count = withoutBlankTail(chunk, chunk.committedAcquire(), at, previousLastTs(registry, id));
  const slot = registry.chunk(id);
  if (
    slot?.state === CHUNK_CLOSED &&
    slot.recordCount > count &&
    slot.recordCount <= chunk.countLimit &&
    dataEnd(chunk, slot.recordCount) === slot.recordCount &&
    tsAt(ctx, chunk, slot.recordCount - 1) === slot.lastTs
  ) {
    count = slot.recordCount;
  }
  const tailEnd = writtenEnd(chunk, count, chunk.countLimit);
  if (tailEnd > count) {
    const copy = saveTail(chunk, count, tailEnd);
    chunk.bytes.fill(0, chunk.recordOffset(count), chunk.recordOffset(tailEnd));
    ctx.logger.warn(
      { feed: ctx.feedName, chunk: id, from: count, to: tailEnd, copy },
      'copied unpublished bytes a crashed writer left after the published records aside, then cleared them',
    );
  }
  if (count !== header) {
    Atomics.store(chunk.headerWords, C_COMMITTED_COUNT_INDEX, count);
    ctx.logger.warn(
      { feed: ctx.feedName, chunk: id, before: header, after: count },
      "corrected the chunk's published count from its data",
    );
  }
  return count;
}

/** The newest timestamp in chunks before `beforeId`, so order holds across writer sessions. */
function previousLastTs(registry: FeedRegistry, beforeId: number): number {
  for (let id = beforeId - 1; id >= Math.max(1, beforeId - REPAIR_LOOKBACK_CHUNKS); id--) {
    const info = registry.chunk(id);
    if (info === undefined) break;
    if (
      (info.state === CHUNK_FULL || info.state === CHUNK_CLOSED) &&
      info.recordCount > 0 &&
      !Number.isNaN(info.lastTs)
    ) {
      return info.lastTs;
    }
  }
  return Number.NEGATIVE_INFINITY;
}
