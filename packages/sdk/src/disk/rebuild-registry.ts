import {
  closeSync,
  constants,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { openNoFollow } from '../platform/base-fs.js';
import { createFileOnce } from '../registry/atomic-file.js';
import * as L from '../registry/layout.js';
import { sealedRecordCount, withoutBlankTail } from './chunk-data.js';
import { ChunkFile, type ChunkGeometry } from './chunk-file.js';
import * as C from './chunk-layout.js';
import { encodeFeedRegistryImage, FeedRegistry } from './feed-registry.js';

/**
 * Rebuilds a feed's chunk registry from its chunk files — "the files are the truth" (ARCHITECTURE.md,
 * "Recovery invariants"). Used when chunks.reg is lost or one of its words cannot be trusted:
 * createFeed adopting an existing feed directory, and `repair`. Nothing is deleted: a chunk file
 * whose header does not fit the feed is renamed to `<file>.corrupt` (restorable by renaming back).
 */

/** Reads a record's timestamp (the feed's codec) from a chunk's view at a byte offset. */
export type ReadTimestamp = (view: DataView, byteOffset: number) => number;

export interface RebuildResult {
  chunks: number;
  records: number;
  firstChunkId: number;
  lastChunkId: number;
  /** Files renamed aside because their header does not fit the feed. */
  quarantined: string[];
}

const CHUNK_FILE_PATTERN = /^chunk-(\d{10})\.dat$/;

/** Chunk ids of the chunk-*.dat entries present in a feed directory, ascending. */
export function chunkIdsOnDisk(feedDir: string): number[] {
  if (!existsSync(feedDir)) return [];
  const ids: number[] = [];
  for (const name of readdirSync(feedDir)) {
    const match = CHUNK_FILE_PATTERN.exec(name);
    if (match) ids.push(Number(match[1]));
  }
  return ids.sort((a, b) => a - b);
}

/** Renames a damaged file aside (never deletes); returns the new path. */
export function quarantineFile(path: string, suffix = 'corrupt'): string {
  let target = `${path}.${suffix}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.${suffix}-${n}`;
  renameSync(path, target);
  return target;
}

interface ChunkSummary {
  id: number;
  firstSeq: number;
  count: number;
  firstTs: number;
  lastTs: number;
  createdUs: number;
}

/**
 * Rewrites `<feedDir>/chunks.reg` in place (header geometry, both id words, every slot from the
 * oldest to the newest chunk file) from the chunk files, creating it if it is missing and renaming
 * it aside if its length is wrong. The caller holds the feed's writer lock (or the registry lock
 * while adopting a feed no writer can open yet).
 */
export function rebuildFeedRegistry(
  feedDir: string,
  feed: string,
  geometry: ChunkGeometry,
  readTs: ReadTimestamp,
  tsOffset?: number,
): RebuildResult {
  const path = feedRegistryPath(feedDir);
  const quarantined: string[] = [];
  if (existsSync(path) && statSync(path).size !== L.FEED_FILE_LENGTH) quarantined.push(quarantineFile(path));
  const image = encodeFeedRegistryImage(
    geometry.recordSize,
    geometry.capacity,
    C.chunkFileLength(geometry.capacity, geometry.recordSize),
    feedSpecBytes(feedDir),
  );
  if (!createFileOnce(path, L.FEED_FILE_LENGTH, image)) {
    // Only the immutable words (before the writer's cache line at 64) and the feed.json copy;
    // counters keep their values.
    const fd = openNoFollow(path, constants.O_RDWR, feed);
    try {
      writeSync(fd, image, 0, L.F_LAST_CHUNK_ID_OFFSET, 0);
      if (image.length > L.SPEC_OFFSET)
        writeSync(fd, image, L.SPEC_OFFSET, image.length - L.SPEC_OFFSET, L.SPEC_OFFSET);
    } finally {
      closeSync(fd);
    }
  }
  const registry = new FeedRegistry(path, feed);
  try {
    const result = rebuildSlots(registry, feedDir, feed, geometry, readTs, tsOffset);
    result.quarantined.unshift(...quarantined);
    return result;
  } finally {
    registry.close();
  }
}

function rebuildSlots(
  registry: FeedRegistry,
  feedDir: string,
  feed: string,
  geometry: ChunkGeometry,
  readTs: ReadTimestamp,
  tsOffset: number | undefined,
): RebuildResult {
  const result: RebuildResult = { chunks: 0, records: 0, firstChunkId: 0, lastChunkId: 0, quarantined: [] };
  const opened: ChunkFile[] = [];
  for (const id of chunkIdsOnDisk(feedDir)) {
    const path = ChunkFile.pathFor(feedDir, id);
    try {
      const chunk = ChunkFile.open(feedDir, id, feed, { readOnly: true, geometry: { ...geometry } });
      if (chunk !== undefined) opened.push(chunk);
    } catch {
      result.quarantined.push(quarantineFile(path));
    }
  }
  try {
    const summaries = opened.map((chunk, i) => summarize(chunk, i === opened.length - 1, readTs));
    const newest = summaries.at(-1)?.id ?? 0;
    // The registry's slots hold the newest chunks; older ones are read from their own headers,
    // so the first chunk id is the oldest file's, while slots start at the window's first chunk.
    const first = summaries[0]?.id ?? 0;
    const oldest = Math.max(first, newest - registry.slotCapacity + 1);
    const byId = new Map(summaries.map((s) => [s.id, s]));
    clearSlot(registry, newest + 1);
    const chunkById = new Map(opened.map((chunk) => [chunk.id, chunk]));
    // Where the chunks below the window end: a hole inside it starts there.
    const below = summaries.filter((summary) => summary.id < oldest).at(-1);
    let nextSeq = below === undefined ? 0 : below.firstSeq + below.count;
    for (let id = oldest; id <= newest && id > 0; id++) {
      const summary = byId.get(id);
      // A missing chunk's seqs are unknown: its slot gets where the previous chunk's ended.
      registry.initChunkSlot(id, summary?.createdUs ?? 0, summary?.firstSeq ?? nextSeq);
      if (summary === undefined) {
        registry.setChunkSummary(id, L.CHUNK_REMOVED, 0, Number.NaN, Number.NaN);
        continue;
      }
      nextSeq = summary.firstSeq + summary.count;
      const chunk = chunkById.get(id);
      if (tsOffset !== undefined && chunk !== undefined && summary.count > 0) {
        registry.setExactTs(id, 'first', chunk.view, chunk.recordOffset(0) + tsOffset);
        registry.setExactTs(id, 'last', chunk.view, chunk.recordOffset(summary.count - 1) + tsOffset);
      }
      const state = id === newest ? L.CHUNK_CLOSED : L.CHUNK_FULL;
      registry.setChunkSummary(id, state, summary.count, summary.firstTs, summary.lastTs);
      result.chunks++;
      result.records += summary.count;
    }
    for (const summary of summaries) {
      if (summary.id >= oldest) break;
      result.chunks++;
      result.records += summary.count;
    }
    registry.setFirstChunkId(first);
    registry.publishLastChunkId(newest);
    result.firstChunkId = first;
    result.lastChunkId = newest;
  } finally {
    for (const chunk of opened) chunk.close();
  }
  return result;
}

function summarize(chunk: ChunkFile, newest: boolean, readTs: ReadTimestamp): ChunkSummary {
  const tsAt = (i: number) => readTs(chunk.view, chunk.recordOffset(i));
  // Older chunks were rotated away: their data decides. The newest keeps its header's count
  // (minus all-zero slots), since bytes past it may be a crash's unpublished tail.
  const count = newest
    ? withoutBlankTail(chunk, chunk.committedAcquire(), tsAt)
    : sealedRecordCount(chunk, chunk.committedAcquire(), tsAt);
  return {
    id: chunk.id,
    firstSeq: chunk.firstSeq,
    count,
    firstTs: count > 0 ? tsAt(0) : Number.NaN,
    lastTs: count > 0 ? tsAt(count - 1) : Number.NaN,
    createdUs: chunk.view.getFloat64(C.C_CREATED_US_OFFSET, true),
  };
}

function clearSlot(registry: FeedRegistry, id: number): void {
  registry.clearChunkSlot(id, true);
}

/** The bytes of a feed's feed.json, copied into chunks.reg; undefined if it cannot be read. */
export function feedSpecBytes(feedDir: string): Uint8Array | undefined {
  try {
    return readFileSync(join(feedDir, 'feed.json'));
  } catch {
    return undefined;
  }
}

/** Path of a feed's chunk registry. */
export function feedRegistryPath(feedDir: string): string {
  return join(feedDir, L.FEED_REGISTRY_FILE);
}
