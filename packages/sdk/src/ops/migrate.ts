import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { createCodec } from '@deepwater/schema-wasm';
import { type FileLock, lockHolder } from '@deepwater/storage-native';
import { sealedRecordCount, withoutBlankTail } from '../disk/chunk-data.js';
import { ChunkFile, chunkHeaderCrc, writeSeq } from '../disk/chunk-file.js';
import * as C from '../disk/chunk-layout.js';
import { chunkIdsOnDisk, quarantineFile, rebuildFeedRegistry } from '../disk/rebuild-registry.js';
import { DeepwaterError, writerLockedError } from '../errors.js';
import { DEFAULT_FILE_MODE, lockInBase, mapInBase, openNoFollow } from '../platform/base-fs.js';
import type { FeedConfig } from '../platform/feed-spec.js';
import { compileFeedLayout, FEED_CONFIG_FILE, FEEDS_DIR, WRITER_LOCK_FILE } from '../platform/feed-store.js';
import { writeFileAtomic } from '../registry/atomic-file.js';
import { encodeGlobalHeader } from '../registry/global-registry.js';
import * as L from '../registry/layout.js';
import { MANIFEST_FILE } from '../registry/manifest.js';

/**
 * `deepwater migrate`: upgrades a format version 1 base to version 2 in place (ARCHITECTURE.md,
 * "Format version 2 and migration"). Every step is idempotent and manifest.json changes last, so
 * a crash anywhere leaves a base every sdk still refuses as version 1 until a rerun finishes it.
 */
export interface MigratedFeed {
  name: string;
  persist: boolean;
  /** Chunk files given a version 2 header (0 for ring feeds). */
  chunks: number;
  /** Records found in them; the feed's next seq. */
  records: number;
}

export interface MigrateReport {
  basePath: string;
  fromVersion: number;
  toVersion: number;
  /** True when the base already had this format: nothing was changed. */
  alreadyCurrent: boolean;
  feeds: MigratedFeed[];
}

export function runMigrate(basePath: string): MigrateReport {
  const manifestPath = join(basePath, MANIFEST_FILE);
  const manifest = readJson(manifestPath);
  if (manifest === undefined) {
    throw new DeepwaterError(
      'ERR_CORRUPT',
      `${basePath} is not a Deepwater base (no readable manifest.json)`,
      {
        path: manifestPath,
      },
    );
  }
  const fromVersion = manifest.formatVersion;
  const report: MigrateReport = {
    basePath,
    fromVersion: fromVersion as number,
    toVersion: L.FORMAT_VERSION,
    alreadyCurrent: fromVersion === L.FORMAT_VERSION,
    feeds: [],
  };
  if (report.alreadyCurrent) return report;
  if (fromVersion !== L.FORMAT_VERSION_1) {
    throw new DeepwaterError(
      'ERR_FORMAT_VERSION',
      `${manifestPath} has formatVersion ${String(fromVersion)}; this @deepwater/sdk migrates formatVersion ${L.FORMAT_VERSION_1} to ${L.FORMAT_VERSION} only`,
      { path: manifestPath },
    );
  }
  const locks: FileLock[] = [];
  try {
    locks.push(takeRegistryLock(join(basePath, L.REGISTRY_LOCK_FILE)));
    const feedsDir = join(basePath, FEEDS_DIR);
    const names = existsSync(feedsDir)
      ? readdirSync(feedsDir).filter((n) => !n.startsWith('.') && lstatSync(join(feedsDir, n)).isDirectory())
      : [];
    // Every writer lock first: nothing is changed while any feed still has a writer.
    for (const name of names) {
      locks.push(takeWriterLock(join(feedsDir, name, WRITER_LOCK_FILE), name));
    }
    for (const name of names) {
      const feed = migrateFeed(join(feedsDir, name), name);
      if (feed !== undefined) report.feeds.push(feed);
    }
    upgradeGlobalRegistry(basePath);
    writeFileAtomic(
      manifestPath,
      `${JSON.stringify({ ...manifest, formatVersion: L.FORMAT_VERSION }, null, 2)}\n`,
    );
  } finally {
    for (const lock of locks.reverse()) lock.release();
  }
  return report;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The base's registry lock, held by a createFeed/deleteFeed in progress: ERR_REGISTRY_LOCKED. */
function takeRegistryLock(path: string): FileLock {
  const lock = lockInBase(path, DEFAULT_FILE_MODE);
  if (lock === null) {
    throw new DeepwaterError(
      'ERR_REGISTRY_LOCKED',
      `migrate needs ${path}, which another process holds (a createFeed or deleteFeed runs): run migrate again once it is done (nothing was changed)`,
      { path },
    );
  }
  return lock;
}

/** A feed's writer lock: refused with the one ERR_WRITER_LOCKED message, naming the holder's pid. */
function takeWriterLock(path: string, feed: string): FileLock {
  const lock = lockInBase(path, DEFAULT_FILE_MODE, feed);
  if (lock === null)
    throw writerLockedError(feed, path, lockHolder(path), 'migrate the base (nothing was changed)');
  return lock;
}

/** One feed: chunk headers, then feed.json, then chunks.reg (rebuilt from the chunks). */
function migrateFeed(feedDir: string, name: string): MigratedFeed | undefined {
  const configPath = join(feedDir, FEED_CONFIG_FILE);
  const stored = readJson(configPath);
  // Without a readable feed.json the directory is left to `repair` (which may re-register it).
  if (stored === undefined) return undefined;
  const { formatVersion: _v, createdUs: _c, recordSize: _r, fmt: _f, ...rest } = stored;
  const config = { ...rest, tsUnit: rest.tsUnit ?? 'us' } as unknown as FeedConfig;
  const layout = compileFeedLayout(config);
  const result: MigratedFeed = { name, persist: config.persist !== false, chunks: 0, records: 0 };
  const codec = createCodec(layout, { feedName: name });
  const readTs = (view: DataView, offset: number) => codec.readTimestamp(view, offset);
  const geometry = {
    recordSize: layout.recordSize,
    capacity: C.recordsPerChunk(config.chunkSizeBytes, layout.recordSize),
  };
  if (result.persist) {
    const ids = chunkIdsOnDisk(feedDir);
    let nextSeq = 0;
    for (const [i, id] of ids.entries()) {
      const count = upgradeChunk(feedDir, name, id, nextSeq, geometry, i === ids.length - 1, readTs);
      if (count === undefined) continue;
      nextSeq += count;
      result.chunks++;
    }
    result.records = nextSeq;
  }
  writeFileAtomic(configPath, `${JSON.stringify({ ...stored, formatVersion: L.FORMAT_VERSION }, null, 2)}\n`);
  if (result.persist) {
    const registryPath = join(feedDir, L.FEED_REGISTRY_FILE);
    if (existsSync(registryPath) && registryVersion(registryPath) !== L.FEED_VERSION) {
      quarantineFile(registryPath, 'v1'); // kept beside, never deleted
    }
    rebuildFeedRegistry(feedDir, name, geometry, readTs, layout.tsOffset);
  }
  return result;
}

function registryVersion(path: string): number {
  const fd = openNoFollow(path, constants.O_RDONLY);
  try {
    const word = Buffer.alloc(4);
    return readSync(fd, word, 0, 4, L.F_VERSION_OFFSET) === 4 ? word.readUInt32LE(0) : 0;
  } finally {
    closeSync(fd);
  }
}

/**
 * Gives chunk `id` a version 2 header with `firstSeq`, then returns its record count as the data
 * says (the newest chunk: its published count without blank slots; older ones: every written
 * record). A file whose header does not fit the feed is left as it is (undefined): `repair`
 * quarantines it.
 */
function upgradeChunk(
  feedDir: string,
  feed: string,
  id: number,
  firstSeq: number,
  geometry: { recordSize: number; capacity: number },
  newest: boolean,
  readTs: (view: DataView, offset: number) => number,
): number | undefined {
  const path = ChunkFile.pathFor(feedDir, id);
  const mapping = mapInBase(path, { readOnly: false }, feed);
  try {
    if (mapping.size < C.CHUNK_HEADER_LENGTH) return undefined;
    const view = new DataView(mapping.buffer);
    const version = view.getUint32(C.C_VERSION_OFFSET, true);
    if (
      view.getUint32(C.C_MAGIC_OFFSET, true) !== C.CHUNK_MAGIC ||
      view.getUint32(C.C_CHUNK_ID_OFFSET, true) !== id ||
      (version !== C.CHUNK_VERSION_1 && version !== C.CHUNK_VERSION) ||
      view.getUint32(C.C_RECORD_SIZE_OFFSET, true) !== geometry.recordSize ||
      view.getUint32(C.C_CAPACITY_OFFSET, true) !== geometry.capacity
    ) {
      return undefined;
    }
    // The checksum is computed over the header as it will be (version 2), in a copy; the version
    // word goes last, so a crash in between leaves a version 1 header the rerun redoes.
    const next = new DataView(new ArrayBuffer(C.C_FIRST_SEQ_END));
    new Uint8Array(next.buffer).set(new Uint8Array(mapping.buffer, 0, C.C_FIRST_SEQ_END));
    next.setUint32(C.C_VERSION_OFFSET, C.CHUNK_VERSION, true);
    writeSeq(next, C.C_FIRST_SEQ_OFFSET, firstSeq);
    writeSeq(view, C.C_FIRST_SEQ_OFFSET, firstSeq);
    view.setUint32(C.C_HEADER_CRC_OFFSET, chunkHeaderCrc(next), true);
    view.setUint32(C.C_VERSION_OFFSET, C.CHUNK_VERSION, true);
    mapping.msync();
  } finally {
    mapping.close();
  }
  const chunk = ChunkFile.open(feedDir, id, feed, { readOnly: true, geometry });
  if (chunk === undefined) return undefined;
  try {
    const at = (i: number) => readTs(chunk.view, chunk.recordOffset(i));
    return newest
      ? withoutBlankTail(chunk, chunk.committedAcquire(), at)
      : sealedRecordCount(chunk, chunk.committedAcquire(), at);
  } finally {
    chunk.close();
  }
}

/** feeds.reg: the version word and the header checksum, in place (slots keep their bytes). */
function upgradeGlobalRegistry(basePath: string): void {
  const path = join(basePath, L.GLOBAL_REGISTRY_FILE);
  if (!existsSync(path)) return;
  const header = encodeGlobalHeader();
  const fd = openNoFollow(path, constants.O_RDWR);
  try {
    writeSync(fd, header, L.G_HEADER_CRC_OFFSET, 4, L.G_HEADER_CRC_OFFSET);
    writeSync(fd, header, 0, L.G_IMMUTABLE_END, 0);
  } finally {
    closeSync(fd);
  }
}
