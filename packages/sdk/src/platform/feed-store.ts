import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ringByteLength } from '@deepwater/ring';
import { compileLayout, type RecordLayout, SchemaError } from '@deepwater/schema-wasm';
import { lockHolder, MAX_MAPPING_BYTES } from '@deepwater/storage-native';
import { chunkFileLength, recordsPerChunk } from '../disk/chunk-layout.js';
import { createFeedRegistryFile } from '../disk/feed-registry.js';
import { createReadersTableFile } from '../disk/readers-table.js';
import { feedSpecBytes } from '../disk/rebuild-registry.js';
import { DeepwaterError, writerLockedError } from '../errors.js';
import { writeFileAtomic } from '../registry/atomic-file.js';
import { FEED_REGISTRY_FILE, FORMAT_VERSION, READERS_FILE } from '../registry/layout.js';
import {
  DEFAULT_FILE_MODE,
  directoryModeFor,
  ensureDirectory,
  isRealDirectory,
  lockInBase,
} from './base-fs.js';
import type { FeedConfig } from './feed-spec.js';

export const FEEDS_DIR = 'feeds';
export const FEED_CONFIG_FILE = 'feed.json';
export const WRITER_LOCK_FILE = 'writer.lock';
/** Records per chunk are a u32 and an Int32 count: stay below 2^31. */
const MAX_RECORDS_PER_CHUNK = 0x7fffffff;

export function feedDirOf(basePath: string, name: string): string {
  return join(basePath, FEEDS_DIR, name);
}

/**
 * Whether the feed's directory exists. `<base>/feeds` and `<base>/feeds/<name>` must be real
 * directories: a link there would redirect every write, rename and unlink out of the base, so it is
 * refused (ERR_SYMLINK naming it), never followed.
 */
export function feedDirExists(basePath: string, name: string): boolean {
  return isRealDirectory(join(basePath, FEEDS_DIR), name) && isRealDirectory(feedDirOf(basePath, name), name);
}

/** Creates `<base>/feeds/<name>` (and `feeds/`) with the directory mode for `fileMode`, or checks them. */
function ensureFeedDir(feedDir: string, name: string, fileMode: number): void {
  const mode = directoryModeFor(fileMode);
  ensureDirectory(join(feedDir, '..'), mode, name);
  ensureDirectory(feedDir, mode, name);
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
  checkMappable(config, layout.recordSize);
  return layout;
}

/**
 * A chunk file or ring object is mapped as ONE ArrayBuffer, and Node cannot create one longer than
 * MAX_MAPPING_BYTES (buffer.constants.MAX_LENGTH: 4 GiB on Node 20). Checked when the feed is
 * created, naming the setting, rather than failing at the first writer or reader.
 */
function checkMappable(config: FeedConfig, recordSize: number): void {
  const mapped = config.persist
    ? chunkFileLength(recordsPerChunk(config.chunkSizeBytes, recordSize), recordSize)
    : ringByteLength({ recordSize, capacity: Math.max(1, Math.floor(config.chunkSizeBytes / recordSize)) });
  if (mapped <= MAX_MAPPING_BYTES) return;
  const what = config.persist ? 'chunk file' : 'ring (shared memory object)';
  throw new DeepwaterError(
    'ERR_INVALID_SPEC',
    `Invalid feed spec for "${config.feedName}": chunkSizeMb ${config.chunkSizeBytes / 1_048_576} needs a ${mapped}-byte ${what}; ` +
      `the largest this Node can map is ${MAX_MAPPING_BYTES} bytes (MAX_MAPPING_BYTES), so use a smaller chunkSizeMb`,
    { feed: config.feedName },
  );
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
      `Feed "${feed}": ${path} has formatVersion ${stored.formatVersion}; this @deepwater/sdk reads formatVersion ${FORMAT_VERSION}` +
        ((stored.formatVersion as number) < FORMAT_VERSION
          ? '; upgrade the base with `deepwater migrate -b BASE`'
          : '; upgrade @deepwater/sdk'),
      { feed, path },
    );
  }
  const { formatVersion: _v, createdUs, recordSize, fmt, ...config } = stored;
  // Written before tsUnit existed: those feeds are microseconds.
  return { config: { ...config, tsUnit: config.tsUnit ?? 'us' }, createdUs, derived: { recordSize, fmt } };
}

function writeFeedConfig(
  feedDir: string,
  config: FeedConfig,
  layout: RecordLayout,
  createdUs: number,
  mode: number,
): void {
  const stored: StoredConfig = {
    formatVersion: FORMAT_VERSION,
    ...config,
    createdUs,
    recordSize: layout.recordSize,
    fmt: layout.fmt,
  };
  writeFileAtomic(join(feedDir, FEED_CONFIG_FILE), `${JSON.stringify(stored, null, 2)}\n`, mode);
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
  mode = DEFAULT_FILE_MODE,
): void {
  ensureFeedDir(feedDir, config.feedName, mode);
  // feed.json first: chunks.reg keeps a copy of its bytes, so a lost feed.json can be restored.
  if (!existsSync(join(feedDir, FEED_CONFIG_FILE))) writeFeedConfig(feedDir, config, layout, createdUs, mode);
  if (config.persist) {
    const perChunk = recordsPerChunk(config.chunkSizeBytes, layout.recordSize);
    createFeedRegistryFile(
      join(feedDir, FEED_REGISTRY_FILE),
      layout.recordSize,
      perChunk,
      chunkFileLength(perChunk, layout.recordSize),
      feedSpecBytes(feedDir),
      mode,
    );
    createReadersTableFile(join(feedDir, READERS_FILE), mode);
  }
}

/** Rewrites feed.json (used when the directory is rebuilt for a feed whose files went missing). */
export function rewriteFeedConfig(
  feedDir: string,
  config: FeedConfig,
  layout: RecordLayout,
  createdUs: number,
  mode = DEFAULT_FILE_MODE,
): void {
  ensureFeedDir(feedDir, config.feedName, mode);
  writeFeedConfig(feedDir, config, layout, createdUs, mode);
}

/**
 * Removes a feed directory that no registry slot owns (left by a crashed createFeed or deleteFeed).
 * Renamed aside first so a half-removed directory never looks like a feed. A link at the feed's
 * place is refused (ERR_SYMLINK); links inside it are removed, never followed (rmSync unlinks them).
 */
export function discardFeedDir(basePath: string, name: string, mode = DEFAULT_FILE_MODE): void {
  const dir = feedDirOf(basePath, name);
  if (!feedDirExists(basePath, name)) return;
  const lockPath = join(dir, WRITER_LOCK_FILE);
  const lock = lockInBase(lockPath, mode, name);
  if (lock === null) {
    throw writerLockedError(name, lockPath, lockHolder(lockPath), `discard its directory ${dir}`);
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
