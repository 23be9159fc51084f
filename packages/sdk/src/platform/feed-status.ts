import { statSync } from 'node:fs';
import { join } from 'node:path';
import { lockHolder } from '@deepwater/storage-native';
import { ChunkFile } from '../disk/chunk-file.js';
import { DATA_OFFSET } from '../disk/chunk-layout.js';
import type { ChunkSlotInfo, FeedRegistry } from '../disk/feed-registry.js';
import type { LiveChunks } from '../disk/live-chunks.js';
import { oldestChunkId } from '../disk/seek.js';
import type { TimeUnit } from '../reader/time-bound.js';
import {
  CHUNK_ACTIVE,
  CHUNK_FULL,
  CHUNK_REMOVED,
  CHUNK_STATE_NAMES,
  type ChunkStateName,
  FEED_REGISTRY_FILE,
  READERS_FILE,
} from '../registry/layout.js';
import type { RingStatus } from '../ring/ring-status.js';
import type { FeedContext } from './feed-context.js';
import type { FeedMode } from './feed-spec.js';

export interface ChunkStatus {
  id: number;
  state: ChunkStateName;
  firstTs: number | null;
  lastTs: number | null;
  records: number;
  path: string;
  /** File length (chunks are preallocated). */
  bytes: number;
}

/** A feed's state computed from its mapped registries: never asks the writer. */
export interface FeedStatus {
  name: string;
  persist: boolean;
  mode: FeedMode;
  recordSize: number;
  fmt: string;
  /** Records published and still held: on disk, or in the ring for persist:false feeds. */
  records: number;
  /** In the feed's tsUnit; a double, so beyond 2^53 (ns since the epoch) rounded to the nearest one. */
  firstTs: number | null;
  lastTs: number | null;
  /** Unit of the timestamp column (and of firstTs/lastTs) since the epoch. */
  tsUnit: TimeUnit;
  chunkCount: number;
  /** Blocks actually allocated (chunks are sparse until written) plus the feed's registries. */
  bytesOnDisk: number;
  retentionHours: number;
  /** Pid holding the writer lock, or null (the kernel lock is the truth, not the registry's pid). */
  writerPid: number | null;
  /**
   * Wall-clock µs of the last publication, to within 250 ms (it does not move while the writer is
   * idle); null before the first record, and for ring feeds, whose header keeps no wall clock.
   */
  lastAppendUs: number | null;
  chunks: ChunkStatus[];
  /**
   * Filled for persist:false feeds by the ring backend: the ring header's counters, plus `readers`
   * (each open stream/readAvailable cursor's pid, sequence, lagRecords, lostRecords, heartbeatUs)
   * and their total `lostRecords`.
   */
  ring?: RingStatus;
}

function allocatedBytes(path: string): { size: number; allocated: number; inode: number } | undefined {
  try {
    const stat = statSync(path);
    return { size: stat.size, allocated: stat.blocks * 512, inode: stat.ino };
  } catch {
    return undefined;
  }
}

export function baseStatus(ctx: FeedContext): FeedStatus {
  return {
    name: ctx.feedName,
    persist: ctx.config.persist,
    mode: ctx.config.mode,
    recordSize: ctx.layout.recordSize,
    fmt: ctx.layout.fmt,
    records: 0,
    firstTs: null,
    lastTs: null,
    tsUnit: ctx.config.tsUnit,
    chunkCount: 0,
    bytesOnDisk: 0,
    retentionHours: ctx.config.retentionHours,
    writerPid: lockHolder(ctx.writerLockPath),
    lastAppendUs: null,
    chunks: [],
  };
}

export function diskFeedStatus(ctx: FeedContext, registry: FeedRegistry, liveChunks: LiveChunks): FeedStatus {
  const status = baseStatus(ctx);
  const last = registry.lastChunkIdAcquire();
  let bytes = 0;
  for (const file of [FEED_REGISTRY_FILE, READERS_FILE])
    bytes += allocatedBytes(join(ctx.feedDir, file))?.allocated ?? 0;
  const windowStart = last - registry.slotCapacity + 1;
  for (let id = last === 0 ? 1 : oldestChunkId(registry, last); id <= last; id++) {
    const path = ChunkFile.pathFor(ctx.feedDir, id);
    const slot = registry.chunk(id);
    // Older than the slot window: the chunk's own header and data describe it (a sealed chunk).
    const info = slot ?? (id < windowStart ? unslottedChunkInfo(ctx, id) : undefined);
    if (info === undefined || info.state === CHUNK_REMOVED) continue;
    const file = allocatedBytes(path);
    if (file === undefined) continue;
    let records = info.recordCount;
    let firstTs: number | null = Number.isNaN(info.firstTs) ? null : info.firstTs;
    let lastTs: number | null = Number.isNaN(info.lastTs) ? null : info.lastTs;
    if (info.state === CHUNK_ACTIVE || id === last) {
      // The live chunk's summary is not maintained per record: read its header and last record.
      const chunk = liveChunks.get(ctx, id, file.inode);
      if (chunk !== undefined) {
        records = chunk.committedAcquire();
        firstTs = records > 0 ? ctx.codec.readTimestamp(chunk.view, DATA_OFFSET) : null;
        lastTs =
          records > 0
            ? ctx.codec.readTimestamp(chunk.view, DATA_OFFSET + (records - 1) * chunk.recordSize)
            : null;
      }
    }
    status.chunks.push({
      id,
      state: CHUNK_STATE_NAMES[info.state] ?? 'active',
      firstTs,
      lastTs,
      records,
      path,
      bytes: file.size,
    });
    status.records += records;
    if (records > 0) {
      if (status.firstTs === null) status.firstTs = firstTs;
      status.lastTs = lastTs;
    }
    bytes += file.allocated;
  }
  status.chunkCount = status.chunks.length;
  status.bytesOnDisk = bytes;
  const appended = registry.lastAppendUs();
  status.lastAppendUs = appended > 0 ? appended : null;
  return status;
}

/** A chunk older than the registry's slot window, summarised from its file (undefined if gone or unreadable). */
function unslottedChunkInfo(ctx: FeedContext, id: number): ChunkSlotInfo | undefined {
  let chunk: ChunkFile | undefined;
  try {
    chunk = ChunkFile.open(ctx.feedDir, id, ctx.feedName, { readOnly: true });
  } catch {
    return undefined; // a damaged header: health and repair report it
  }
  if (chunk === undefined) return undefined;
  try {
    const count = chunk.committedAcquire();
    const tsAt = (i: number) => ctx.codec.readTimestamp(chunk.view, DATA_OFFSET + i * chunk.recordSize);
    return {
      id,
      state: CHUNK_FULL,
      recordCount: count,
      firstTs: count > 0 ? tsAt(0) : Number.NaN,
      lastTs: count > 0 ? tsAt(count - 1) : Number.NaN,
      createdUs: 0,
      sealedUs: 0,
      firstSeq: chunk.firstSeq,
    };
  } finally {
    chunk.close();
  }
}
