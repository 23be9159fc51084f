import {
  closeSync,
  constants,
  existsSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { type FileLock, lockHolder } from '@deepwater/storage-native';
import { dataEnd, saveTail, sealedRecordCount, withoutBlankTail } from '../disk/chunk-data.js';
import type { ChunkFile, ChunkGeometry } from '../disk/chunk-file.js';
import * as C from '../disk/chunk-layout.js';
import { recordsPerChunk } from '../disk/chunk-layout.js';
import type { ChunkSlotInfo, FeedRegistry } from '../disk/feed-registry.js';
import { createReadersTableFile, readersTableProblem } from '../disk/readers-table.js';
import { feedSpecBytes, quarantineFile, rebuildFeedRegistry } from '../disk/rebuild-registry.js';
import { registryProblem } from '../disk/registry-check.js';
import type { Logger } from '../logger.js';
import { DEFAULT_FILE_MODE, lockInBase, openNoFollow } from '../platform/base-fs.js';
import { FEED_CONFIG_FILE } from '../platform/feed-store.js';
import { writeFileAtomic } from '../registry/atomic-file.js';
import * as L from '../registry/layout.js';
import { manifestIsCurrent } from '../registry/manifest.js';
import { feedDirOf, type LoadedFeed, loadFeed, WRITER_LOCK_FILE } from './feed-config.js';
import {
  chunkFilesOnDisk,
  chunkHeaderIsBlank,
  clearChunkSlot,
  openChunk,
  openFeedRegistry,
  recordIsBlank,
  recordsInFile,
  setChunkState,
  setCommittedCount,
  zeroRecords,
} from './feed-files.js';

/**
 * The scanner behind `health --check-feeds` (read-only) and `repair` (fix: true). It compares a
 * feed's registry with its chunk files and the records in them; with fix it repairs what can be
 * repaired without dropping a single readable published record: counts and timestamp bounds are
 * rebuilt from the data, an unpublished tail is zeroed, files are quarantined (renamed), never
 * deleted while they hold published records.
 */

export type ProblemKind =
  | 'feed-config'
  | 'registry-missing'
  | 'registry-corrupt'
  | 'stale-writer-pid'
  | 'entry-beyond-data'
  | 'missing-registry-entry'
  | 'missing-chunk-file'
  | 'chunk-header'
  | 'count-beyond-capacity'
  | 'truncated-chunk'
  | 'count-mismatch'
  | 'count-below-data'
  | 'count-beyond-data'
  | 'timestamp-bounds'
  | 'timestamps-decrease'
  | 'unsealed-chunk'
  | 'torn-tail'
  | 'removed-chunk-file-present'
  | 'orphan-file'
  | 'first-chunk-id'
  | 'chunk-state'
  | 'unregistered-feed'
  | 'scan-failed'
  | 'readers-table'
  | 'seq-discontinuity'
  | 'seq-entry'
  | 'feed-spec-copy'
  /** No longer reported: chunks older than the slot window are read from their own headers. */
  | 'outside-slot-window'
  | 'registry-slot';

/** error: the registry and the data disagree or data is damaged. notice: a crash leftover that readers tolerate. */
export type ProblemSeverity = 'error' | 'notice';

export interface FeedProblem {
  feed: string;
  kind: ProblemKind;
  severity: ProblemSeverity;
  chunkId?: number;
  path?: string;
  /** What is wrong, with the numbers. */
  message: string;
  /** What repair does about it (or did, when `fixed`); absent when it cannot be fixed safely. */
  fix?: string;
  fixed: boolean;
}

export interface FeedScanResult {
  feed: string;
  persist: boolean;
  /** Pid holding the feed's writer lock during the scan, or null. */
  writerPid: number | null;
  chunksScanned: number;
  /** Published records whose timestamps were read (deep) or counted (quick). */
  recordsScanned: number;
  problems: FeedProblem[];
  /** Files repair (or createFeed adopting the feed) renamed aside: restore one by renaming it back, then run repair. */
  quarantined: string[];
  /** Set when fixes were requested but not applied, e.g. a live writer holds the feed. */
  notFixedBecause?: string;
}

export interface ScanOptions {
  /** Apply fixes (repair). Takes the feed's writer lock for the duration. */
  fix?: boolean;
  /** Read every record's timestamp (repair); otherwise only the first and last per chunk (health). */
  deep?: boolean;
  /** Where repair logs each action with its before/after numbers. */
  logger?: Logger;
  /** Called once per chunk examined, for progress bars. */
  onChunk?: () => void;
}

/** Chunk files a scan of this feed visits: the progress bar's total (onChunk fires once per file). */
export function countChunks(basePath: string, feed: string): number {
  const feedDir = feedDirOf(basePath, feed);
  return chunkFilesOnDisk(feedDir).size;
}

export function scanFeed(basePath: string, feed: string, options: ScanOptions = {}): FeedScanResult {
  const feedDir = feedDirOf(basePath, feed);
  const result: FeedScanResult = {
    feed,
    persist: true,
    writerPid: null,
    chunksScanned: 0,
    recordsScanned: 0,
    problems: [],
    quarantined: [],
  };
  let canFix = false;
  const report = (problem: Omit<FeedProblem, 'feed' | 'fixed'>, apply?: () => void): void => {
    let fixed = false;
    if (apply && canFix && problem.fix !== undefined) {
      apply();
      fixed = true;
    }
    result.problems.push({ feed, ...problem, fixed });
  };

  let loaded: LoadedFeed;
  try {
    loaded = loadFeed(basePath, feed);
  } catch (error) {
    // chunks.reg keeps a checksummed copy of feed.json: a lost or damaged feed.json is restored.
    const copy = specCopyOf(feedDir, feed);
    const configPath = join(feedDir, FEED_CONFIG_FILE);
    const lockPath = join(feedDir, WRITER_LOCK_FILE);
    const lock = options.fix && copy !== undefined ? lockInBase(lockPath, DEFAULT_FILE_MODE, feed) : null;
    let restored = false;
    canFix = lock !== null;
    try {
      report(
        {
          kind: 'feed-config',
          severity: 'error',
          path: configPath,
          message: (error as Error).message,
          ...(copy === undefined ? {} : { fix: `restore ${configPath} from the copy kept in chunks.reg` }),
        },
        () => {
          writeFileAtomic(configPath, copy as Uint8Array);
          options.logger?.info(
            { feed, path: configPath },
            `repair: restored ${configPath} from chunks.reg's copy`,
          );
          restored = true;
        },
      );
    } finally {
      lock?.release();
      canFix = false;
    }
    if (!restored) return result;
    try {
      loaded = loadFeed(basePath, feed);
    } catch (again) {
      report({ kind: 'feed-config', severity: 'error', message: (again as Error).message });
      return result;
    }
  }
  // feed.json should never change after createFeed: one that differs from the checksummed copy in
  // chunks.reg (a flipped key can even make a disk feed look like a ring) is set aside and restored.
  const copy = specCopyOf(feedDir, feed);
  const current = feedSpecBytes(feedDir);
  if (copy !== undefined && current !== undefined && !Buffer.from(copy).equals(Buffer.from(current))) {
    const configPath = join(feedDir, FEED_CONFIG_FILE);
    const lock = options.fix ? lockInBase(join(feedDir, WRITER_LOCK_FILE), DEFAULT_FILE_MODE, feed) : null;
    let restored = false;
    canFix = lock !== null;
    try {
      report(
        {
          kind: 'feed-spec-copy',
          severity: 'error',
          path: configPath,
          message: `${configPath} differs from the checksummed copy kept in chunks.reg (changed or damaged since createFeed)`,
          fix: `set it aside as ${configPath}.corrupt and restore it from the copy`,
        },
        () => {
          quarantineFile(configPath);
          writeFileAtomic(configPath, copy);
          options.logger?.info(
            { feed, path: configPath },
            `repair: restored ${configPath} from chunks.reg's copy`,
          );
          restored = true;
        },
      );
    } finally {
      lock?.release();
      canFix = false;
    }
    if (restored) {
      try {
        loaded = loadFeed(basePath, feed);
      } catch (error) {
        report({ kind: 'feed-config', severity: 'error', message: (error as Error).message });
        return result;
      }
    }
  }
  result.persist = loaded.config.persist;
  const lockPath = join(feedDir, WRITER_LOCK_FILE);
  result.writerPid = existsSync(lockPath) ? lockHolder(lockPath) : null;
  if (!loaded.config.persist) return result; // a ring keeps nothing on disk but its config

  let lock: FileLock | null = null;
  if (options.fix) {
    lock = lockInBase(lockPath, DEFAULT_FILE_MODE, feed);
    canFix = lock !== null;
    if (!canFix) {
      result.notFixedBecause = `writer pid ${lockHolder(lockPath) ?? '?'} holds feed "${feed}"; stop it and run repair again`;
    }
  }
  const writerLive = lock === null && result.writerPid !== null;
  try {
    checkReadersTable(feedDir, report);
    scanChunks(basePath, feed, loaded, { ...options, writerLive, canFix }, result, report);
  } finally {
    lock?.release();
  }
  result.quarantined = quarantinedFiles(feedDir);
  return result;
}

interface ScanState {
  writerLive: boolean;
  canFix: boolean;
}

type Report = (problem: Omit<FeedProblem, 'feed' | 'fixed'>, apply?: () => void) => void;

function scanChunks(
  basePath: string,
  feed: string,
  loaded: LoadedFeed,
  options: ScanOptions & ScanState,
  result: FeedScanResult,
  report: Report,
): void {
  const feedDir = feedDirOf(basePath, feed);
  const registryPath = join(feedDir, L.FEED_REGISTRY_FILE);
  const doubt = registryDoubt(registryPath, feedDir, feed, loaded, chunkFilesOnDisk(feedDir).size);
  if (doubt?.kind === 'feed-config') {
    report({
      kind: 'feed-config',
      severity: 'error',
      path: join(feedDir, 'feed.json'),
      message: doubt.message,
    });
    return;
  }
  if (doubt !== undefined) {
    // One registry word must not hide data: the registry is rebuilt from the chunk files.
    let rebuilt = false;
    report(
      {
        kind: doubt.kind,
        severity: 'error',
        path: registryPath,
        message: doubt.message,
        fix: 'rebuild the chunk registry from the chunk files (files whose header does not fit are quarantined)',
      },
      () => {
        const summary = rebuildFeedRegistry(
          feedDir,
          feed,
          chunkGeometryOf(loaded),
          (view, offset) => loaded.codec.readTimestamp(view, offset),
          loaded.layout.tsOffset,
        );
        options.logger?.info(
          { feed, path: registryPath, ...summary },
          `repair: rebuilt ${registryPath}: chunks ${summary.firstChunkId}..${summary.lastChunkId}, ${summary.records} records`,
        );
        rebuilt = true;
      },
    );
    if (!rebuilt) return;
  }
  if (!existsSync(registryPath)) return; // no chunk files and no registry: a feed never written
  const files = chunkFilesOnDisk(feedDir);
  const registry = openFeedRegistry(registryPath, feed);
  if (typeof registry === 'string') {
    report({
      kind: 'registry-corrupt',
      severity: 'error',
      path: registryPath,
      message: `${registryPath} ${registry}`,
    });
    return;
  }
  try {
    const recordedPid = registry.writerPid();
    if (recordedPid !== 0 && !options.writerLive) {
      report(
        {
          kind: 'stale-writer-pid',
          severity: 'notice',
          message: `registry names writer pid ${recordedPid}, which no longer holds the feed (it exited without closing)`,
          fix: 'clear the writer pid',
        },
        () => registry.setWriterPid(0),
      );
    }
    checkSpecCopy(feedDir, registry, report);
    new ChunkScan(feed, feedDir, loaded, registry, files, options, result, report).run();
  } finally {
    registry.close();
  }
}

/** chunks.reg's copy of feed.json, when it is there and its checksum holds. */
function specCopyOf(feedDir: string, feed: string): Uint8Array | undefined {
  const path = join(feedDir, L.FEED_REGISTRY_FILE);
  if (!existsSync(path)) return undefined;
  const registry = openFeedRegistry(path, feed);
  if (typeof registry === 'string') return undefined;
  try {
    return registry.specCopy();
  } finally {
    registry.close();
  }
}

/**
 * feed.json (which loaded and fits the chunks) against the copy chunks.reg keeps: a difference
 * means one of them was changed since createFeed; the copy is refreshed from feed.json, which the
 * scan has just checked against the registry's and the chunk files' geometry.
 */
function checkSpecCopy(feedDir: string, registry: FeedRegistry, report: Report): void {
  const current = feedSpecBytes(feedDir);
  if (current === undefined || current.length > L.SPEC_CAPACITY) return;
  // A differing copy was dealt with before the scan (feed.json restored from it); only a missing
  // copy (a registry rebuilt without a readable feed.json) is filled in here.
  if (registry.specCopy() !== undefined || registry.checksumProblem() !== undefined) return;
  report(
    {
      kind: 'feed-spec-copy',
      severity: 'error',
      path: registry.path,
      message: `${registry.path} holds no copy of feed.json`,
      fix: 'copy feed.json into the registry',
    },
    () => registry.setSpecCopy(current),
  );
}

/** readers.tbl holds only live readers' positions: a damaged one is set aside and re-created. */
function checkReadersTable(feedDir: string, report: Report): void {
  const path = join(feedDir, L.READERS_FILE);
  if (!existsSync(path)) return;
  const bytes = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
  const size = statSync(path).size;
  const problem = readersTableProblem(new DataView(bytes.buffer, 0, read), read < 16 ? read : size);
  if (problem === undefined) return;
  report(
    {
      kind: 'readers-table',
      severity: 'error',
      path,
      message: `${path} ${problem} (readers and cleanup cannot open it)`,
      fix: `rename it to ${path}.corrupt and create an empty table (it only records live readers' positions; restart live readers)`,
    },
    () => {
      quarantineFile(path);
      createReadersTableFile(path);
    },
  );
}

function chunkGeometryOf(loaded: LoadedFeed): ChunkGeometry {
  const recordSize = loaded.layout.recordSize;
  return { recordSize, capacity: recordsPerChunk(loaded.config.chunkSizeBytes, recordSize) };
}

/** Why the registry as a whole cannot be trusted (missing, unreadable, a header or id word wrong), or undefined. */
function registryDoubt(
  registryPath: string,
  feedDir: string,
  feed: string,
  loaded: LoadedFeed,
  chunkFiles: number,
): { kind: ProblemKind; message: string } | undefined {
  if (!existsSync(registryPath)) {
    if (chunkFiles === 0) return undefined;
    return {
      kind: 'registry-missing',
      message: `${registryPath} is missing but ${chunkFiles} chunk file(s) exist`,
    };
  }
  const registry = openFeedRegistry(registryPath, feed);
  if (typeof registry === 'string') {
    // Another sdk's format is reported below and never rewritten — unless the manifest names ours.
    if (/registry version/.test(registry) && !manifestIsCurrent(dirname(dirname(feedDir)))) return undefined;
    return { kind: 'registry-corrupt', message: `${registryPath} ${registry}` };
  }
  const fileGeometry = chunkFileGeometry(feedDir);
  const geometry = chunkGeometryOf(loaded);
  if (
    fileGeometry !== undefined &&
    (fileGeometry.recordSize !== geometry.recordSize || fileGeometry.capacity !== geometry.capacity) &&
    registry.recordSize === fileGeometry.recordSize &&
    registry.recordsPerChunk === fileGeometry.capacity
  ) {
    registry.close();
    // The registry and every chunk file agree with each other, not with feed.json: feed.json changed.
    return {
      kind: 'feed-config',
      message: `${feedDir}/feed.json gives ${geometry.capacity} records of ${geometry.recordSize} bytes per chunk, but chunks.reg and the chunk files agree on ${fileGeometry.capacity} of ${fileGeometry.recordSize}: feed.json was changed; restore its fields and chunkSizeBytes (nothing was touched)`,
    };
  }
  try {
    // Listed chunks hidden below the first chunk id are the scan's first-chunk-id fix: no rebuild needed.
    const problem = registryProblem(registry, feedDir, loaded.layout.recordSize, { checkBelowFirst: false });
    if (problem !== undefined) return { kind: 'registry-corrupt', message: `${registryPath} ${problem}` };
    const geometry = chunkGeometryOf(loaded);
    if (registry.recordsPerChunk !== geometry.capacity) {
      return {
        kind: 'registry-corrupt',
        message: `${registryPath} field recordsPerChunk is ${registry.recordsPerChunk}, feed.json's chunk size gives ${geometry.capacity}`,
      };
    }
    return undefined;
  } finally {
    registry.close();
  }
}

/** The geometry every readable chunk file header agrees on, or undefined when they disagree or none is readable. */
function chunkFileGeometry(feedDir: string): ChunkGeometry | undefined {
  let agreed: ChunkGeometry | undefined;
  for (const path of chunkFilesOnDisk(feedDir).values()) {
    const header = readChunkHeader(path);
    if (header === undefined) continue;
    if (agreed === undefined) agreed = header;
    else if (agreed.recordSize !== header.recordSize || agreed.capacity !== header.capacity) return undefined;
  }
  return agreed;
}

function readChunkHeader(path: string): ChunkGeometry | undefined {
  const bytes = Buffer.alloc(C.C_DATA_OFFSET_OFFSET);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    if (readSync(fd, bytes, 0, bytes.length, 0) < bytes.length) return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  if (bytes.readUInt32LE(C.C_MAGIC_OFFSET) !== C.CHUNK_MAGIC) return undefined;
  return {
    recordSize: bytes.readUInt32LE(C.C_RECORD_SIZE_OFFSET),
    capacity: bytes.readUInt32LE(C.C_CAPACITY_OFFSET),
  };
}

const QUARANTINED = /\.(corrupt|orphan)(-\d+)?$|\.tail-\d+$/;

/** Files renamed aside in a feed directory (by repair, createFeed's adoption or a writer's recovery). */
export function quarantinedFiles(feedDir: string): string[] {
  if (!existsSync(feedDir)) return [];
  return readdirSync(feedDir)
    .filter((name) => QUARANTINED.test(name))
    .sort()
    .map((name) => join(feedDir, name));
}

const sameTs = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** One pass over a feed's chunks in id order. */
class ChunkScan {
  #previousLastTs = Number.NEGATIVE_INFINITY;
  /** Where the previous present chunk's seqs ended, and its id (continuity is checked between neighbours). */
  #nextSeq = 0;
  #previousId = 0;

  constructor(
    readonly feed: string,
    readonly feedDir: string,
    readonly loaded: LoadedFeed,
    readonly registry: FeedRegistry,
    readonly files: Map<number, string>,
    readonly options: ScanOptions & ScanState,
    readonly result: FeedScanResult,
    readonly report: Report,
  ) {}

  run(): void {
    const { registry, files } = this;
    const lastId = registry.lastChunkIdAcquire();
    const oldestSlotted = Math.max(1, lastId - registry.slotCapacity + 1);
    let firstId = Math.max(oldestSlotted, registry.firstChunkId());
    firstId = this.#chunksBelowFirst(firstId, oldestSlotted);
    // A rotation that crashed after filling the next slot but before publishing it.
    const beyond = registry.chunk(lastId + 1);
    if (beyond !== undefined) {
      this.#entryBeyondData(beyond);
      if (files.has(beyond.id)) this.options.onChunk?.();
    }

    let firstLive = 0;
    // Chunks older than the slot window have no slot by design (the registry caches the newest
    // 16,384): their own headers and data are what readers use, so that is what is checked.
    const firstListed = Math.max(1, registry.firstChunkId());
    for (let id = firstListed; id < oldestSlotted; id++) {
      const path = files.get(id);
      if (path === undefined) continue;
      if (this.#unslotted(id, path) && firstLive === 0) firstLive = id;
      this.options.onChunk?.();
    }
    for (let id = firstId; id <= lastId; id++) {
      const info = registry.chunk(id);
      const live = this.#chunk(id, info, id === lastId);
      if (live && firstLive === 0) firstLive = id;
      // Progress counts chunk files (countChunks); a removed chunk's file is counted as an orphan below.
      if (files.has(id) && info?.state !== L.CHUNK_REMOVED) this.options.onChunk?.();
    }
    for (const [id, path] of files) {
      if (id === lastId + 1 && beyond !== undefined) continue;
      if (id >= firstListed && id < oldestSlotted) continue; // scanned above, without a slot
      const info = id <= lastId ? registry.chunk(id) : undefined;
      if (id >= firstId && id <= lastId && info?.state !== L.CHUNK_REMOVED) continue; // scanned above
      if (
        id >= firstId &&
        id <= lastId &&
        info?.state === L.CHUNK_REMOVED &&
        this.#restore(id, path, id === lastId)
      ) {
        this.options.onChunk?.();
        continue;
      }
      this.options.onChunk?.();
      this.#orphan(id, path, info?.state === L.CHUNK_REMOVED);
    }
    this.#firstChunkId(firstLive);
  }

  /**
   * A chunk older than the slot window: sealed (rotated away long ago), so its count is what its
   * data says; its order, timestamps and seq continuity are checked like any chunk's. Returns
   * true if it is readable.
   */
  #unslotted(id: number, path: string): boolean {
    this.result.chunksScanned++;
    const opened = openChunk(this.feedDir, id, this.feed, this.loaded.layout.recordSize, this.options.canFix);
    if (typeof opened === 'string') {
      this.report(
        {
          kind: 'chunk-header',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk file ${path} ${opened}`,
          fix: `quarantine it: rename it to ${path}.corrupt (restorable by renaming it back)`,
        },
        () => {
          quarantineFile(path);
          this.files.delete(id);
        },
      );
      return false;
    }
    const { chunk } = opened;
    try {
      const codec = this.loaded.codec;
      const tsAt = (i: number) => codec.readTimestamp(chunk.view, chunk.recordOffset(i));
      const floor = this.#previousLastTs;
      const published = chunk.committedWord();
      const count = sealedRecordCount(
        chunk,
        withoutBlankTail(chunk, Math.min(published, chunk.countLimit), tsAt, floor),
        tsAt,
        floor,
      );
      if (count !== published && !this.options.writerLive) {
        this.report(
          {
            kind: count > published ? 'count-below-data' : 'count-beyond-data',
            severity: 'error',
            chunkId: id,
            path,
            message: `chunk ${id} header publishes ${published} records but its data holds ${count} in timestamp order (a sealed chunk)`,
            fix: `set its published count from ${published} to ${count}`,
          },
          () => setCommittedCount(chunk, count),
        );
      }
      this.result.recordsScanned += count;
      this.#checkSeq(id, undefined, chunk, count);
      if (count === 0) return true;
      if (this.options.deep) this.#checkOrder(id, path, count, tsAt);
      if (tsAt(0) < this.#previousLastTs) {
        this.report({
          kind: 'timestamps-decrease',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk ${id} starts at ${tsAt(0)}, before the previous chunk's last timestamp ${this.#previousLastTs}`,
        });
      }
      this.#previousLastTs = tsAt(count - 1);
      return true;
    } finally {
      chunk.close();
    }
  }

  /**
   * Chunks that are still listed (not removed) and on disk below the registry's first chunk id are
   * invisible to readers: the id is lowered so they are readable again, never deleted.
   */
  #chunksBelowFirst(firstId: number, oldestSlotted: number): number {
    let lowest = firstId;
    for (let id = firstId - 1; id >= oldestSlotted; id--) {
      const info = this.registry.chunk(id);
      if (info === undefined || info.state === L.CHUNK_REMOVED || !this.files.has(id)) break;
      lowest = id;
    }
    if (lowest === firstId) return firstId;
    this.report(
      {
        kind: 'first-chunk-id',
        severity: 'error',
        message: `chunks ${lowest}..${firstId - 1} are listed and on disk but below the registry's first chunk id ${firstId}, so readers skip them`,
        fix: `lower the first chunk id to ${lowest}`,
      },
      () => this.registry.setFirstChunkId(lowest),
    );
    return lowest;
  }

  #entryBeyondData(slot: ChunkSlotInfo): void {
    const path = this.files.get(slot.id);
    let published = 0;
    if (path) {
      const opened = openChunk(this.feedDir, slot.id, this.feed, this.loaded.layout.recordSize, false);
      if (typeof opened !== 'string') {
        published = opened.chunk.committedWord();
        opened.chunk.close();
      }
    }
    const message = `registry has an entry for chunk ${slot.id}, past the last published chunk ${slot.id - 1} (a rotation that never completed)`;
    if (published > 0 || this.options.writerLive) {
      this.report({ kind: 'entry-beyond-data', severity: 'error', chunkId: slot.id, message });
      return;
    }
    this.report(
      {
        kind: 'entry-beyond-data',
        severity: 'notice',
        chunkId: slot.id,
        ...(path ? { path } : {}),
        message,
        fix: path
          ? 'clear the entry and delete its empty chunk file (no published records)'
          : 'clear the entry',
      },
      () => {
        clearChunkSlot(this.registry, slot.id);
        if (path) unlinkSync(path);
      },
    );
  }

  /** Checks chunk `id`; returns true if it is a live (not removed) chunk. */
  #chunk(id: number, slot: ChunkSlotInfo | undefined, isLast: boolean): boolean {
    const path = this.files.get(id);
    if (slot === undefined) {
      this.report({
        kind: 'missing-registry-entry',
        severity: 'error',
        chunkId: id,
        ...(path ? { path } : {}),
        message: `chunk ${id} is within the registry's range but has no entry${path ? ' (its file exists)' : ' and no file'}`,
      });
      return false;
    }
    if (slot.state === L.CHUNK_REMOVED) return false;
    this.result.chunksScanned++;
    const stateName = L.CHUNK_STATE_NAMES[slot.state] ?? `state ${slot.state}`;
    if (!path) {
      this.report(
        {
          kind: 'missing-chunk-file',
          severity: 'error',
          chunkId: id,
          message: `chunk ${id} (${stateName}, ${slot.recordCount} records in the registry) has no file`,
          fix: 'mark the chunk removed so readers and writers skip it',
        },
        () => setChunkState(this.registry, id, L.CHUNK_REMOVED),
      );
      return false;
    }
    const opened = openChunk(this.feedDir, id, this.feed, this.loaded.layout.recordSize, this.options.canFix);
    if (typeof opened === 'string') {
      this.report(
        {
          kind: 'chunk-header',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk file ${path} ${opened}`,
          fix: `quarantine it: rename it to ${path}.corrupt (restorable by renaming it back) and mark the chunk removed`,
        },
        () => {
          quarantineFile(path);
          this.files.delete(id); // gone from the directory: the orphan pass below must not look for it
          setChunkState(this.registry, id, L.CHUNK_REMOVED);
        },
      );
      return false;
    }
    try {
      this.#chunkContents(id, slot, opened.chunk, opened.fileLength, isLast);
    } finally {
      opened.chunk.close();
    }
    return true;
  }

  #chunkContents(
    id: number,
    slot: ChunkSlotInfo,
    chunk: ChunkFile,
    fileLength: number,
    isLast: boolean,
  ): void {
    const { registry, options } = this;
    const path = chunk.path;
    const capacity = chunk.capacity;
    const physical = recordsInFile({ chunk, fileLength });
    let published = chunk.committedWord();
    if (published > capacity) {
      const usable = Math.min(capacity, physical);
      this.report(
        {
          kind: 'count-beyond-capacity',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk ${id} claims ${published} published records but holds at most ${capacity}`,
          fix: `set its published count to ${usable}`,
        },
        () => setCommittedCount(chunk, usable),
      );
      published = usable;
    }
    const expectedLength = registry.chunkFileLength;
    if (fileLength < expectedLength) {
      const readable = Math.min(published, physical);
      const lost = published - readable;
      this.report(
        {
          kind: 'truncated-chunk',
          severity: 'error',
          chunkId: id,
          path,
          message:
            `chunk ${id} file is ${fileLength} bytes, expected ${expectedLength}` +
            (lost > 0 ? `; ${lost} of its ${published} published records were cut off` : ''),
          fix: `grow the file back to ${expectedLength} bytes (a reader mapping it would crash past its end) and publish the ${readable} whole records it still holds`,
        },
        () => {
          // A record cut in half is unpublished from now on: clear its surviving bytes too.
          chunk.bytes.fill(0, chunk.recordOffset(readable), fileLength);
          growNoFollow(path, expectedLength, this.feed); // the kernel zero-fills, nothing is cut
          if (chunk.committedWord() > readable) setCommittedCount(chunk, readable);
        },
      );
      published = readable;
    }

    const codec = this.loaded.codec;
    const tsAt = (i: number) => codec.readTimestamp(chunk.view, chunk.recordOffset(i));
    published = this.#countFromData(id, slot, chunk, published, isLast, tsAt);
    const firstTs = published > 0 ? tsAt(0) : Number.NaN;
    const lastTs = published > 0 ? tsAt(published - 1) : Number.NaN;
    this.result.recordsScanned += published;
    this.#checkSeq(id, slot, chunk, published);
    if (options.deep && published > 0) this.#checkOrder(id, path, published, tsAt);
    if (published > 0 && firstTs < this.#previousLastTs) {
      this.report({
        kind: 'timestamps-decrease',
        severity: 'error',
        chunkId: id,
        path,
        message: `chunk ${id} starts at ${firstTs}, before the previous chunk's last timestamp ${this.#previousLastTs}`,
      });
    }
    if (published > 0) this.#previousLastTs = lastTs;

    if (L.CHUNK_STATE_NAMES[slot.state] === undefined) {
      const state = isLast ? L.CHUNK_CLOSED : L.CHUNK_FULL;
      this.report(
        {
          kind: 'chunk-state',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk ${id}'s registry entry has state ${slot.state}, which no sdk writes`,
          fix: `rebuild the entry from the data (${L.CHUNK_STATE_NAMES[state]}, ${published} records)`,
        },
        () => registry.setChunkSummary(id, state, published, firstTs, lastTs),
      );
      return;
    }
    const sealed = slot.state === L.CHUNK_CLOSED || slot.state === L.CHUNK_FULL;
    if (sealed && (slot.recordCount !== published || (published > 0 && !sameTs(slot.lastTs, lastTs)))) {
      const parts: string[] = [];
      if (slot.recordCount !== published) {
        parts.push(`registry says ${slot.recordCount} records, the file has ${published} published`);
      }
      if (published > 0 && !sameTs(slot.lastTs, lastTs)) {
        parts.push(`registry's last timestamp is ${slot.lastTs}, the last record's is ${lastTs}`);
      }
      this.report(
        {
          kind: slot.recordCount !== published ? 'count-mismatch' : 'timestamp-bounds',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk ${id}: ${parts.join('; ')}`,
          fix: `rebuild the entry from the data (${published} records, last timestamp ${lastTs})`,
        },
        () =>
          registry.setChunkSummary(id, slot.state, published, published > 0 ? firstTs : slot.firstTs, lastTs),
      );
    }
    if (published > 0 && !sameTs(slot.firstTs, firstTs)) {
      this.report(
        {
          kind: 'timestamp-bounds',
          severity: 'error',
          chunkId: id,
          path,
          message: `registry says chunk ${id} starts at ${slot.firstTs}; its first record is at ${firstTs}`,
          fix: `set the entry's first timestamp to ${firstTs}`,
        },
        () => registry.setFirstTs(id, firstTs),
      );
    }
    if (slot.state === L.CHUNK_ACTIVE && !options.writerLive) {
      // What the core's writer recovery does on its next start; done here so the registry is whole now.
      const sealedState = isLast ? L.CHUNK_CLOSED : L.CHUNK_FULL;
      this.report(
        {
          kind: 'unsealed-chunk',
          severity: isLast ? 'notice' : 'error',
          chunkId: id,
          path,
          message: isLast
            ? `chunk ${id} is still marked active but no writer holds the feed (its writer did not close)`
            : `chunk ${id} is marked active but is not the newest chunk (a rotation interrupted by a crash)`,
          fix: `seal it as ${L.CHUNK_STATE_NAMES[sealedState]} with its ${published} published records${isLast ? ' (the next writer resumes it)' : ''}`,
        },
        () => registry.setChunkSummary(id, sealedState, published, firstTs, lastTs),
      );
    }
    if (!options.writerLive && isLast) this.#tornTail(id, chunk, published, Math.min(capacity, physical));
  }

  /**
   * The chunk's record count as its data says (ARCHITECTURE.md, "Recovery invariants"): all-zero
   * slots under the header's count are not records; a chunk rotated away has no torn tail, so every
   * written record in timestamp order is data; the newest chunk keeps what its cleanly-closed
   * registry entry vouches for (count and last timestamp agree with the bytes).
   */
  #countFromData(
    id: number,
    slot: ChunkSlotInfo,
    chunk: ChunkFile,
    published: number,
    isLast: boolean,
    tsAt: (i: number) => number,
  ): number {
    if (this.options.writerLive) return published;
    const floor = this.#previousLastTs;
    let count = withoutBlankTail(chunk, Math.min(published, chunk.countLimit), tsAt, floor);
    if (!isLast) {
      count = sealedRecordCount(chunk, count, tsAt, floor);
    } else if (
      slot.state === L.CHUNK_CLOSED &&
      slot.recordCount > count &&
      slot.recordCount <= chunk.countLimit &&
      dataEnd(chunk, slot.recordCount) === slot.recordCount &&
      tsAt(slot.recordCount - 1) === slot.lastTs
    ) {
      count = slot.recordCount;
    }
    if (count === published) return published;
    const below = count > published;
    this.report(
      {
        kind: below ? 'count-below-data' : 'count-beyond-data',
        severity: 'error',
        chunkId: id,
        path: chunk.path,
        message: below
          ? `chunk ${id} header publishes ${published} records but holds ${count} written records in timestamp order${isLast ? ' (its registry entry agrees)' : ' (a sealed chunk has no torn tail)'}`
          : `chunk ${id} header publishes ${published} records but records ${count}..${published - 1} are all zero (never written)`,
        fix: `set its published count from ${published} to ${count}`,
      },
      () => setCommittedCount(chunk, count),
    );
    return count;
  }

  /**
   * Seqs continue from chunk to chunk: firstSeq(N + 1) = firstSeq(N) + count(N) for neighbours.
   * The chunk header's firstSeq is covered by its checksum, so a break is reported, never
   * "fixed" by renumbering records a consumer may have checkpointed; the registry's copy follows
   * the header.
   */
  #checkSeq(id: number, slot: ChunkSlotInfo | undefined, chunk: ChunkFile, count: number): void {
    // A gap (firstSeq above the expected) is records lost — a truncated chunk, reported as such when
    // found — and readers skip it like retention's; an overlap would give two records one seq.
    if (this.#previousId === id - 1 && this.#previousId > 0 && chunk.firstSeq < this.#nextSeq) {
      this.report({
        kind: 'seq-discontinuity',
        severity: 'error',
        chunkId: id,
        path: chunk.path,
        message: `chunk ${id} starts at seq ${chunk.firstSeq}, but chunk ${id - 1} ends at seq ${this.#nextSeq - 1}: ${this.#nextSeq - chunk.firstSeq} seq(s) would name two records (a count or a header is wrong)`,
      });
    }
    if (slot !== undefined && slot.firstSeq !== chunk.firstSeq) {
      this.report(
        {
          kind: 'seq-entry',
          severity: 'error',
          chunkId: id,
          path: chunk.path,
          message: `chunk ${id}'s registry entry says firstSeq ${slot.firstSeq}; its header (checksummed) says ${chunk.firstSeq}`,
          fix: `set the entry's firstSeq to ${chunk.firstSeq}`,
        },
        () => this.registry.setFirstSeq(id, chunk.firstSeq),
      );
    }
    this.#previousId = id;
    this.#nextSeq = chunk.firstSeq + count;
  }

  #checkOrder(id: number, path: string, published: number, tsAt: (i: number) => number): void {
    let previous = tsAt(0);
    for (let i = 1; i < published; i++) {
      const ts = tsAt(i);
      if (ts < previous) {
        this.report({
          kind: 'timestamps-decrease',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk ${id} record ${i} has timestamp ${ts}, lower than record ${i - 1}'s ${previous}`,
        });
        return;
      }
      previous = ts;
    }
  }

  /** Bytes written after the published count: a write the crash interrupted before publication. */
  #tornTail(id: number, chunk: ChunkFile, published: number, limit: number): void {
    let end = published;
    while (end < limit && !recordIsBlank(chunk, end)) end++;
    if (end === published) return;
    this.report(
      {
        kind: 'torn-tail',
        severity: 'notice',
        chunkId: id,
        path: chunk.path,
        message: `chunk ${id} has ${end - published} unpublished record slot(s) holding bytes after its ${published} published records (a write cut short by a crash)`,
        fix: `copy the unpublished bytes to ${chunk.path}.tail-${published}, then zero them (published records are untouched)`,
      },
      () => {
        saveTail(chunk, published, end);
        zeroRecords(chunk, published, end);
      },
    );
  }

  /**
   * A chunk inside the live range marked removed while its file holds records: retention only
   * removes chunks below the first chunk id, so one flipped state word must not hide (or let repair
   * delete) its data. The entry is rebuilt from the file. Returns false when the file is not usable.
   */
  #restore(id: number, path: string, isLast: boolean): boolean {
    const opened = openChunk(this.feedDir, id, this.feed, this.loaded.layout.recordSize, false);
    if (typeof opened === 'string') return false;
    try {
      const chunk = opened.chunk;
      const tsAt = (i: number) => this.loaded.codec.readTimestamp(chunk.view, chunk.recordOffset(i));
      const header = withoutBlankTail(chunk, chunk.committedAcquire(), tsAt);
      const count = isLast ? header : sealedRecordCount(chunk, header, tsAt);
      if (count === 0) return false;
      const state = isLast ? L.CHUNK_CLOSED : L.CHUNK_FULL;
      this.report(
        {
          kind: 'removed-chunk-file-present',
          severity: 'error',
          chunkId: id,
          path,
          message: `chunk ${id} is marked removed but lies inside the registry's live range and its file holds ${count} records (readers skip them)`,
          fix: `restore its entry from the file (${L.CHUNK_STATE_NAMES[state]}, ${count} records)`,
        },
        () => this.registry.setChunkSummary(id, state, count, tsAt(0), tsAt(count - 1)),
      );
      this.result.chunksScanned++;
      this.result.recordsScanned += count;
      return true;
    } finally {
      opened.chunk.close();
    }
  }

  /** A chunk file the registry does not list, or lists as removed. */
  #orphan(id: number, path: string, registryMovedPast: boolean): void {
    // Deleted only when its own valid header says it holds nothing; any doubt means quarantine.
    let published: number | null = null;
    const opened = openChunk(this.feedDir, id, this.feed, this.loaded.layout.recordSize, false);
    if (typeof opened !== 'string') {
      published = Math.min(opened.chunk.committedAcquire(), opened.chunk.capacity);
      opened.chunk.close();
    } else if (chunkHeaderIsBlank(path)) {
      published = 0; // a writer killed while creating it: never initialised, never published
    }
    if (registryMovedPast) {
      this.report(
        {
          kind: 'removed-chunk-file-present',
          severity: 'notice',
          chunkId: id,
          path,
          message: `chunk ${id} is marked removed in the registry (retention) but its file is still there`,
          fix: 'delete the file, finishing the interrupted cleanup (readers no longer see these records)',
        },
        () => unlinkSync(path),
      );
      return;
    }
    const empty = published === 0;
    this.report(
      {
        kind: 'orphan-file',
        severity: 'notice',
        chunkId: id,
        path,
        message: `chunk file ${path} is not in the registry (${published === null ? 'its header is not a valid chunk ' + id : `${published} published records`})`,
        fix: empty
          ? 'delete it (it holds no published records)'
          : `rename it to ${path}.orphan (kept for inspection)`,
      },
      () => (empty ? unlinkSync(path) : quarantineFile(path, 'orphan')),
    );
  }

  #firstChunkId(firstLive: number): void {
    const current = this.registry.firstChunkId();
    if (firstLive === 0 || current === 0 || firstLive <= current) return;
    this.report(
      {
        kind: 'first-chunk-id',
        severity: 'notice',
        message: `registry's first chunk id is ${current} but every chunk before ${firstLive} is removed`,
        fix: `raise the first chunk id to ${firstLive}`,
      },
      () => this.registry.setFirstChunkId(firstLive),
    );
  }
}

/** ftruncate to a larger size through a descriptor opened without following a link. */
function growNoFollow(path: string, length: number, feed: string): void {
  const fd = openNoFollow(path, constants.O_WRONLY, feed);
  try {
    ftruncateSync(fd, length);
  } finally {
    closeSync(fd);
  }
}
