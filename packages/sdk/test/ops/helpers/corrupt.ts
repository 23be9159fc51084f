import { join } from 'node:path';
import { ChunkFile } from '../../../src/chunk/chunk-file.js';
import { FeedRegistry } from '../../../src/registry/feed-registry.js';
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
