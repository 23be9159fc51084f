import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkFile } from '../disk/chunk-file.js';
import * as C from '../disk/chunk-layout.js';
import { FeedRegistry } from '../disk/feed-registry.js';
import { type ReaderPosition, ReadersTable } from '../disk/readers-table.js';
import * as L from '../registry/layout.js';

/**
 * What operators' tools need on top of the core's FeedRegistry / ChunkFile / ReadersTable: open
 * them without creating anything and without trusting a damaged file's length (a mapping read past
 * the end of its file kills the process with SIGBUS), and patch the few words repair and retention
 * own. Every offset comes from the core's layout modules.
 */

/** Opens chunks.reg for inspection or repair, or explains why it cannot be trusted. */
export function openFeedRegistry(path: string, feed: string): FeedRegistry | string {
  const size = statSync(path).size;
  if (size < L.FEED_HEADER_LENGTH)
    return `is ${size} bytes, shorter than its ${L.FEED_HEADER_LENGTH}-byte header`;
  let registry: FeedRegistry;
  try {
    registry = new FeedRegistry(path, feed);
  } catch (error) {
    return (error as Error).message;
  }
  const needed = L.FEED_HEADER_LENGTH + registry.slotCapacity * L.FEED_SLOT_LENGTH;
  if (registry.slotCapacity === 0 || size < needed) {
    registry.close();
    return `is ${size} bytes, but its header promises ${registry.slotCapacity} slots (${needed} bytes)`;
  }
  return registry;
}

/** Frees chunk `id`'s slot: only its id word, which readers check first. */
export function clearChunkSlot(registry: FeedRegistry, id: number): void {
  registry.clearChunkSlot(id);
}

/** Changes only a chunk slot's state, keeping its count and bounds. */
export function setChunkState(registry: FeedRegistry, id: number, state: number): void {
  const info = registry.chunk(id);
  if (info === undefined) return;
  registry.setChunkSummary(id, state, info.recordCount, info.firstTs, info.lastTs);
}

export interface OpenedChunk {
  chunk: ChunkFile;
  /** The file's length now (it may be shorter than the chunk's capacity needs). */
  fileLength: number;
}

/** Opens chunk `id` without trusting its length, or explains why its header is unusable. */
export function openChunk(
  feedDir: string,
  id: number,
  feed: string,
  recordSize: number,
  writable: boolean,
): OpenedChunk | string {
  const path = ChunkFile.pathFor(feedDir, id);
  const fileLength = statSync(path).size;
  if (fileLength < C.CHUNK_HEADER_LENGTH) {
    return `is ${fileLength} bytes, shorter than its ${C.CHUNK_HEADER_LENGTH}-byte header`;
  }
  let chunk: ChunkFile | undefined;
  try {
    chunk = ChunkFile.open(feedDir, id, feed, { readOnly: !writable });
  } catch (error) {
    return (error as Error).message;
  }
  if (chunk === undefined) return 'disappeared while being opened';
  if (chunk.recordSize !== recordSize) {
    chunk.close();
    return `has record size ${chunk.recordSize}, the feed's is ${recordSize}`;
  }
  if (chunk.view.getUint32(C.C_DATA_OFFSET_OFFSET, true) !== C.DATA_OFFSET) {
    chunk.close();
    return `has a data offset other than ${C.DATA_OFFSET}`;
  }
  return { chunk, fileLength };
}

/** Whole records that physically fit in the chunk's file as it is now. */
export function recordsInFile(opened: OpenedChunk): number {
  return Math.max(0, Math.floor((opened.fileLength - C.DATA_OFFSET) / opened.chunk.recordSize));
}

export function setCommittedCount(chunk: ChunkFile, count: number): void {
  Atomics.store(chunk.headerWords, C.C_COMMITTED_COUNT_INDEX, count);
}

export { recordIsBlank } from '../disk/chunk-data.js';

export function zeroRecords(chunk: ChunkFile, from: number, to: number): void {
  chunk.bytes.fill(0, chunk.recordOffset(from), chunk.recordOffset(to));
}

const CHUNK_FILE_PATTERN = /^chunk-(\d{10})\.dat$/;

/** Chunk ids of the chunk-*.dat files present in a feed directory. */
export function chunkFilesOnDisk(feedDir: string): Map<number, string> {
  const files = new Map<number, string>();
  if (!existsSync(feedDir)) return files;
  for (const name of readdirSync(feedDir)) {
    const match = CHUNK_FILE_PATTERN.exec(name);
    if (match) files.set(Number(match[1]), join(feedDir, name));
  }
  return files;
}

/** Live readers' positions from readers.tbl, without creating the table when it is absent. */
export function liveReaderPositions(feedDir: string): ReaderPosition[] {
  const path = join(feedDir, L.READERS_FILE);
  if (!existsSync(path) || statSync(path).size < L.READERS_FILE_LENGTH) return [];
  const table = new ReadersTable(path);
  try {
    return table.list();
  } finally {
    table.close();
  }
}

/**
 * True when a chunk file's header is all zeros: a writer died inside ChunkFile.create before
 * writing it. Such a file was never a valid chunk, so it never held a published record.
 */
export function chunkHeaderIsBlank(path: string): boolean {
  const header = Buffer.alloc(C.CHUNK_HEADER_LENGTH);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, read).every((b) => b === 0);
  } finally {
    closeSync(fd);
  }
}
