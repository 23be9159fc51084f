import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileLayout, type RecordLayout, SchemaError } from '@deepwater/schema-wasm';
import { lockHolder, tryLockFile } from '@deepwater/storage-native';
import { chunkFileLength, recordsPerChunk } from '../chunk/layout.js';
import { DeepwaterError } from '../errors.js';
import { writeFileAtomic } from '../registry/atomic-file.js';
import { createFeedRegistryFile } from '../registry/feed-registry.js';
import { FEED_REGISTRY_FILE, FORMAT_VERSION, READERS_FILE } from '../registry/layout.js';
import { createReadersTableFile } from '../registry/readers-table.js';
import type { FeedConfig } from './feed-spec.js';

export const FEEDS_DIR = 'feeds';
export const FEED_CONFIG_FILE = 'feed.json';
export const WRITER_LOCK_FILE = 'writer.lock';
/** Records per chunk are a u32 and an Int32 count: stay below 2^31. */
const MAX_RECORDS_PER_CHUNK = 0x7fffffff;

export function feedDirOf(basePath: string, name: string): string {
  return join(basePath, FEEDS_DIR, name);
}

/** Compiles the schema, turning schema-wasm's SchemaError into the sdk's ERR_INVALID_SPEC. */
export function compileFeedLayout(config: FeedConfig): RecordLayout {
  let layout: RecordLayout;
  try {
    layout = compileLayout(config.fields, config.tsCol, { feedName: config.feedName });
  } catch (error) {
    if (error instanceof SchemaError) {
      throw new DeepwaterError('ERR_INVALID_SPEC', error.message, { feed: config.feedName, cause: error });
    }
    throw error;
  }
  if (config.persist) {
    const perChunk = recordsPerChunk(config.chunkSizeBytes, layout.recordSize);
    if (perChunk < 1) {
      throw new DeepwaterError(
        'ERR_INVALID_SPEC',
        `Invalid feed spec for "${config.feedName}": chunkSizeMb ${config.chunkSizeBytes / 1_048_576} (${config.chunkSizeBytes} bytes) cannot hold one ${layout.recordSize}-byte record`,
        { feed: config.feedName },
      );
    }
    if (perChunk > MAX_RECORDS_PER_CHUNK) {
      throw new DeepwaterError(
        'ERR_INVALID_SPEC',
        `Invalid feed spec for "${config.feedName}": a chunk would hold ${perChunk} records; at most ${MAX_RECORDS_PER_CHUNK} are allowed (use a smaller chunkSizeMb)`,
        { feed: config.feedName },
      );
    }
  }
  return layout;
}

interface StoredConfig extends FeedConfig {
  formatVersion: number;
  createdUs: number;
  recordSize: number;
  fmt: string;
}

export function readFeedConfig(
  feedDir: string,
  feed: string,
): { config: FeedConfig; createdUs: number; derived: { recordSize?: unknown; fmt?: unknown } } | undefined {
  const path = join(feedDir, FEED_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let stored: StoredConfig;
  try {
    stored = JSON.parse(text) as StoredConfig;
  } catch (cause) {
    throw new DeepwaterError('ERR_CORRUPT', `Feed "${feed}": ${path} is not valid JSON`, {
      feed,
      path,
      cause,
    });
  }
  if (stored.formatVersion !== FORMAT_VERSION) {
    throw new DeepwaterError(
      'ERR_FORMAT_VERSION',
      `Feed "${feed}": ${path} has formatVersion ${stored.formatVersion}; this @deepwater/sdk reads formatVersion ${FORMAT_VERSION}`,
      { feed, path },
    );
  }
  const { formatVersion: _v, createdUs, recordSize, fmt, ...config } = stored;
  return { config, createdUs, derived: { recordSize, fmt } };
}

function writeFeedConfig(feedDir: string, config: FeedConfig, layout: RecordLayout, createdUs: number): void {
  const stored: StoredConfig = {
    formatVersion: FORMAT_VERSION,
    ...config,
    createdUs,
    recordSize: layout.recordSize,
    fmt: layout.fmt,
  };
  writeFileAtomic(join(feedDir, FEED_CONFIG_FILE), `${JSON.stringify(stored, null, 2)}\n`);
}

/**
 * (Re)creates every file of a feed except its chunks. Idempotent, so re-running createFeed repairs
 * a feed whose creation crashed half-way. feed.json is written by rename, so it is never torn.
 */
export function materializeFeedFiles(
  feedDir: string,
  config: FeedConfig,
  layout: RecordLayout,
  createdUs: number,
): void {
  mkdirSync(feedDir, { recursive: true });
  if (config.persist) {
    const perChunk = recordsPerChunk(config.chunkSizeBytes, layout.recordSize);
    createFeedRegistryFile(
      join(feedDir, FEED_REGISTRY_FILE),
      layout.recordSize,
      perChunk,
      chunkFileLength(perChunk, layout.recordSize),
    );
    createReadersTableFile(join(feedDir, READERS_FILE));
  }
  if (!existsSync(join(feedDir, FEED_CONFIG_FILE))) writeFeedConfig(feedDir, config, layout, createdUs);
}

/** Rewrites feed.json (used when the directory is rebuilt for a feed whose files went missing). */
export function rewriteFeedConfig(
  feedDir: string,
  config: FeedConfig,
  layout: RecordLayout,
  createdUs: number,
): void {
  mkdirSync(feedDir, { recursive: true });
  writeFeedConfig(feedDir, config, layout, createdUs);
}

/**
 * Removes a feed directory that no registry slot owns (left by a crashed createFeed or deleteFeed).
 * Renamed aside first so a half-removed directory never looks like a feed.
 */
export function discardFeedDir(basePath: string, name: string): void {
  const dir = feedDirOf(basePath, name);
  if (!existsSync(dir)) return;
  const lockPath = join(dir, WRITER_LOCK_FILE);
  const lock = tryLockFile(lockPath);
  if (lock === null) {
    const pid = lockHolder(lockPath) ?? undefined;
    throw new DeepwaterError(
      'ERR_WRITER_LOCKED',
      `Feed "${name}": a process (pid ${pid ?? 'unknown'}) still writes in ${dir}`,
      {
        feed: name,
        path: dir,
        ...(pid === undefined ? {} : { pid }),
      },
    );
  }
  try {
    const trash = join(
      basePath,
      FEEDS_DIR,
      `.trash-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    );
    renameSync(dir, trash);
    rmSync(trash, { recursive: true, force: true });
  } finally {
    lock.release();
  }
}
