import { join } from 'node:path';
import type { RecordCodec, RecordLayout } from '@deepwater/schema-wasm';
import { lockHolder } from '@deepwater/storage-native';
import { recordsPerChunk } from '../disk/chunk-layout.js';
import { chunkIdsOnDisk, type RebuildResult, rebuildFeedRegistry } from '../disk/rebuild-registry.js';
import { DeepwaterError, writerLockedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_FILE_MODE, lockInBase } from './base-fs.js';
import { configDifference, type FeedConfig } from './feed-spec.js';
import { readFeedConfig, WRITER_LOCK_FILE } from './feed-store.js';

/**
 * createFeed on a feed directory that already holds chunk files — feeds.reg lost or its slot
 * zeroed, chunks.reg lost — must never empty it: "the files are the truth" (ARCHITECTURE.md,
 * "Recovery invariants"). A spec matching feed.json adopts the data; a conflicting one is refused.
 */

/** True when the directory holds chunk files: data createFeed must adopt, never discard. */
export function holdsChunkFiles(feedDir: string): boolean {
  return chunkIdsOnDisk(feedDir).length > 0;
}

/**
 * The spec to adopt the directory with (feed.json's when present, else the requested one) and its
 * createdUs; throws ERR_FEED_EXISTS_CONFLICT naming both specs when they differ.
 */
export function adoptableConfig(
  feedDir: string,
  name: string,
  requested: FeedConfig,
): { config: FeedConfig; createdUs: number | undefined } {
  const stored = readFeedConfig(feedDir, name);
  if (stored === undefined) return { config: requested, createdUs: undefined };
  const difference = configDifference(stored.config, requested);
  if (difference !== undefined) {
    throw new DeepwaterError(
      'ERR_FEED_EXISTS_CONFLICT',
      `Feed "${name}": ${feedDir} already holds chunk files written with a different spec (${difference}); ` +
        `existing spec ${JSON.stringify(stored.config)}, requested spec ${JSON.stringify(requested)}. ` +
        `Nothing was changed: create the feed with the existing spec to adopt its data, or inspect it with \`deepwater repair --feed ${name} --dry-run\``,
      { feed: name, path: feedDir },
    );
  }
  return { config: stored.config, createdUs: stored.createdUs };
}

/** Rebuilds chunks.reg from the chunk files under the feed's writer lock; logs what it found. */
export function adoptChunkFiles(
  feedDir: string,
  name: string,
  config: FeedConfig,
  layout: RecordLayout,
  codec: RecordCodec,
  logger: Logger,
): RebuildResult {
  const lockPath = join(feedDir, WRITER_LOCK_FILE);
  const lock = lockInBase(lockPath, DEFAULT_FILE_MODE, name);
  if (lock === null) {
    throw writerLockedError(name, lockPath, lockHolder(lockPath), `re-create the feed over ${feedDir}`);
  }
  try {
    const geometry = {
      recordSize: layout.recordSize,
      capacity: recordsPerChunk(config.chunkSizeBytes, layout.recordSize),
    };
    const result = rebuildFeedRegistry(
      feedDir,
      name,
      geometry,
      (view, offset) => codec.readTimestamp(view, offset),
      layout.tsOffset,
    );
    logger.warn(
      { feed: name, path: feedDir, ...result },
      'adopted existing chunk files: rebuilt the chunk registry from them',
    );
    return result;
  } finally {
    lock.release();
  }
}
