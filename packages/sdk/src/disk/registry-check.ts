import { closeSync, openSync, readSync } from 'node:fs';
import { DeepwaterError } from '../errors.js';
import * as L from '../registry/layout.js';
import { ChunkFile } from './chunk-file.js';
import * as C from './chunk-layout.js';
import { chunkFileLength } from './chunk-layout.js';
import type { FeedRegistry } from './feed-registry.js';

/**
 * Range checks of a chunk registry's header, and a cross-check of its two id words against the
 * chunk files present: one damaged word (lastChunkId 0, firstChunkId past the end) must be an
 * error, never an empty feed (see ARCHITECTURE.md, "Recovery invariants"). Cheap: a few loads and
 * at most two 68-byte reads, so every reader and writer runs it on open.
 */
export function registryProblem(
  registry: FeedRegistry,
  feedDir: string,
  recordSize: number,
  options: { checkBelowFirst?: boolean } = {},
): string | undefined {
  const header = headerProblem(registry, recordSize);
  if (header !== undefined) return header;
  const last = registry.lastChunkIdAcquire();
  const first = registry.firstChunkId();
  if (last > 0 && first === 0) return `field firstChunkId is 0 but lastChunkId is ${last}`;
  if (first > last + 1) return `field firstChunkId ${first} is past lastChunkId ${last} + 1`;
  if (last > 0 && registry.chunk(last) === undefined) {
    return `field lastChunkId is ${last} but the registry has no entry for chunk ${last}`;
  }
  // A chunk past the rotation word with published records means the word is wrong (a rotation
  // publishes the word before the first record goes into the new chunk).
  const beyond = publishedInFile(feedDir, last + 1);
  if (beyond > 0 && registry.lastChunkIdAcquire() === last) {
    return `field lastChunkId is ${last} but chunk file ${C.chunkFileName(last + 1)} holds ${beyond} published records`;
  }
  if (first > 1 && options.checkBelowFirst !== false) {
    const below = registry.chunk(first - 1);
    if (below !== undefined && below.state !== L.CHUNK_REMOVED && publishedInFile(feedDir, first - 1) > 0) {
      return `field firstChunkId is ${first} but chunk ${first - 1} is listed, not removed, and holds records`;
    }
  }
  return undefined;
}

function headerProblem(registry: FeedRegistry, recordSize: number): string | undefined {
  if (registry.byteLength < L.FEED_FILE_LENGTH) {
    return `is ${registry.byteLength} bytes, expected ${L.FEED_FILE_LENGTH}`;
  }
  const checksum = registry.checksumProblem();
  if (checksum !== undefined) return checksum;
  if (registry.slotCapacity !== L.FEED_SLOT_CAPACITY) {
    return `field slotCapacity is ${registry.slotCapacity}, expected ${L.FEED_SLOT_CAPACITY}`;
  }
  const slotLength = registry.slotLength();
  if (slotLength !== L.FEED_SLOT_LENGTH)
    return `field slotLength is ${slotLength}, expected ${L.FEED_SLOT_LENGTH}`;
  if (registry.byteLength < L.FEED_FILE_LENGTH) {
    return `is ${registry.byteLength} bytes, expected ${L.FEED_FILE_LENGTH}`;
  }
  if (registry.recordSize !== recordSize) {
    return `field recordSize is ${registry.recordSize}, feed.json's schema gives ${recordSize}`;
  }
  const perChunk = registry.recordsPerChunk;
  if (perChunk < 1 || perChunk > 0x7fffffff) return `field recordsPerChunk is ${perChunk}`;
  if (registry.chunkFileLength !== chunkFileLength(perChunk, recordSize)) {
    return `field chunkFileLength is ${registry.chunkFileLength}, expected ${chunkFileLength(perChunk, recordSize)} for ${perChunk} records of ${recordSize} bytes`;
  }
  return undefined;
}

/** The committed count in chunk `id`'s header when the file exists with a valid header for that id, else 0. */
function publishedInFile(feedDir: string, id: number): number {
  const header = Buffer.alloc(C.C_COMMITTED_COUNT_OFFSET + 4);
  let fd: number;
  try {
    fd = openSync(ChunkFile.pathFor(feedDir, id), 'r');
  } catch {
    return 0;
  }
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return 0;
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32LE(C.C_MAGIC_OFFSET) !== C.CHUNK_MAGIC) return 0;
  if (header.readUInt32LE(C.C_CHUNK_ID_OFFSET) !== id) return 0;
  return header.readUInt32LE(C.C_COMMITTED_COUNT_OFFSET);
}

/** Throws ERR_CORRUPT naming the file and field when the registry cannot be trusted. */
export function assertRegistryConsistent(
  registry: FeedRegistry,
  feedDir: string,
  feed: string,
  recordSize: number,
): void {
  const problem = registryProblem(registry, feedDir, recordSize);
  if (problem === undefined) return;
  throw new DeepwaterError(
    'ERR_CORRUPT',
    `Feed "${feed}": ${registry.path} ${problem}; run \`deepwater repair --feed ${feed}\` (it rebuilds the registry from the chunk files)`,
    { feed, path: registry.path },
  );
}
