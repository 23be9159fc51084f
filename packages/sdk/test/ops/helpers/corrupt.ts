import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkFile, chunkHeaderCrc } from '../../../src/disk/chunk-file.js';
import { C_FIRST_SEQ_END, C_HEADER_CRC_OFFSET } from '../../../src/disk/chunk-layout.js';
import { FeedRegistry } from '../../../src/disk/feed-registry.js';
import { FEED_REGISTRY_FILE } from '../../../src/registry/layout.js';

/** Paths and handles for crafting corruptions the way crashes and careless operators make them. */
export function feedDir(basePath: string, feed = 'trades'): string {
  return join(basePath, 'feeds', feed);
}

export function chunkPath(basePath: string, id: number, feed = 'trades'): string {
  return ChunkFile.pathFor(feedDir(basePath, feed), id);
}

/** Runs `fn` on the feed's mapped chunk registry (the core's own class), then unmaps it. */
export function withRegistry<T>(basePath: string, fn: (registry: FeedRegistry) => T, feed = 'trades'): T {
  const registry = new FeedRegistry(join(feedDir(basePath, feed), FEED_REGISTRY_FILE), feed);
  try {
    return fn(registry);
  } finally {
    registry.close();
  }
}

/** Runs `fn` on a writable mapping of chunk `id`. */
export function withChunk<T>(basePath: string, id: number, fn: (chunk: ChunkFile) => T, feed = 'trades'): T {
  const chunk = ChunkFile.open(feedDir(basePath, feed), id, feed, { readOnly: false });
  if (chunk === undefined) throw new Error(`chunk ${id} is missing`);
  try {
    return fn(chunk);
  } finally {
    chunk.close();
  }
}

/** Recomputes a chunk file's v2 header checksum after a test edited its immutable fields on purpose. */
export function resealChunkHeader(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const header = Buffer.alloc(C_FIRST_SEQ_END);
    readSync(fd, header, 0, header.length, 0);
    const view = new DataView(header.buffer, header.byteOffset, header.length);
    writeSync(fd, u32le(chunkHeaderCrc(view)), 0, 4, C_HEADER_CRC_OFFSET);
  } finally {
    closeSync(fd);
  }
}

function u32le(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}
