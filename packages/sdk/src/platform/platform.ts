import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import { createCodec, type Int64Mode, type RecordCodec, type RecordLayout } from '@deepwater/schema-wasm';
import { lockHolder } from '@deepwater/storage-native';
import { DiskBackend } from '../disk/disk-backend.js';
import {
  BaseUnavailableError,
  DeepwaterError,
  isNoSpace,
  isOutOfMemory,
  withResourceError,
  writerLockedError,
} from '../errors.js';
import { checkOptionKeys, didYouMean } from '../format/suggest.js';
import type { ReadTypesOf, WriteTypesOf } from '../format/typed-records.js';
import { type Logger, noopLogger } from '../logger.js';
import type { Reader, ReaderOptions, TypedReaderOptions } from '../reader/reader.js';
import { resolveReaderOptions } from '../reader/reader-options.js';
import { GlobalRegistry } from '../registry/global-registry.js';
import { FEED_REGISTRY_FILE } from '../registry/layout.js';
import { ensureManifest } from '../registry/manifest.js';
import { ringBackend } from '../ring/ring-backend.js';
import { DURABILITIES, type Writer, type WriterOptions } from '../writer/writer.js';
import { adoptableConfig, adoptChunkFiles, holdsChunkFiles } from './adopt-feed.js';
import { checkFileMode, directoryModeFor, ensureDirectory, lockInBase } from './base-fs.js';
import { acquireBaseLog, type BaseLog } from './base-log.js';
import { trackOpenPlatform, untrackOpenPlatform, writerClosed, writerOpened } from './exit-hooks.js';
import type { FeedBackend } from './feed-backend.js';
import type { Closable, FeedContext } from './feed-context.js';
import {
  type FeedInfo,
  type FeedLifecycle,
  feedInfo,
  lifecycle,
  type RecordFormat,
  recordFormat,
} from './feed-info.js';
import { assertFeedName } from './feed-name.js';
import {
  configDifference,
  type FeedConfig,
  type FeedSpecInput,
  resolveFeedSpec,
  schemaDifference,
} from './feed-spec.js';
import type { FeedStatus } from './feed-status.js';
import {
  compileFeedLayout,
  discardFeedDir,
  FEEDS_DIR,
  feedDirExists,
  feedDirOf,
  materializeFeedFiles,
  readFeedConfig,
  rewriteFeedConfig,
  WRITER_LOCK_FILE,
} from './feed-store.js';

export interface PlatformOptions {
  /**
   * Receives lifecycle and operational messages (feeds created/deleted, writers opened/closed,
   * chunk rotations, crash recovery, background sync failures). Default: `<base>/deepwater.log`,
   * opened on the first line; `false` discards them.
   */
  logger?: Logger | false;
  /**
   * Permission bits of every file and shared-memory ring this platform creates (default 0o660:
   * owner and group read/write, nothing for others), applied whatever the process umask.
   * Directories get the matching search bits (0o660 → 0o770). Readers write their positions into
   * readers tables, so a reader in another account needs group write. Existing files keep theirs.
   */
  mode?: number;
}

interface CachedFeed {
  createdUs: number;
  config: FeedConfig;
  layout: RecordLayout;
  codec: RecordCodec;
  /** Disk or ring, chosen once from config.persist when the feed is loaded. */
  backend: FeedBackend;
}

/** A loaded feed's context and the backend that serves it. */
interface OpenedFeed {
  ctx: FeedContext;
  backend: FeedBackend;
}

/**
 * Platform — a handle on one base directory. Creates and describes feeds, hands out writers and
 * readers (a new reader with its own cursor on every call), and closes everything it handed out
 * on close() or at process exit. Safe to use from many processes at once.
 */
export class Platform implements Disposable {
  readonly basePath: string;
  readonly logger: Logger;
  /** Permission bits of the files and rings this platform creates. */
  readonly mode: number;
  readonly #registry: GlobalRegistry;
  readonly #feeds = new Map<string, CachedFeed>();
  readonly #open = new Set<Closable>();
  readonly #disk = new DiskBackend();
  readonly #exitCloser = { closeForExit: () => this.close() };
  readonly #baseLog: BaseLog | undefined;
  #closed = false;

  constructor(basePath: string, options: PlatformOptions = {}) {
    if (typeof basePath !== 'string' || basePath.length === 0) {
      throw new DeepwaterTypeError(`Platform needs a base directory path, got ${JSON.stringify(basePath)}`);
    }
    checkOptionKeys(options, ['logger', 'mode'], 'Platform');
    this.mode = checkFileMode(options.mode);
    const logger = options.logger;
    if (logger !== undefined && logger !== false && typeof logger?.warn !== 'function') {
      throw new DeepwaterTypeError(
        'Platform option "logger" must be false or an object with info/warn/error methods',
      );
    }
    this.basePath = resolve(basePath);
    const directoryMode = directoryModeFor(this.mode);
    this.#registry = withResourceError(undefined, `open the base ${this.basePath}`, () =>
      openBase(this.basePath, directoryMode, this.mode),
    );
    this.#baseLog = logger === undefined ? acquireBaseLog(this.basePath, this.mode) : undefined;
    this.logger = logger === false ? noopLogger : (logger ?? (this.#baseLog as BaseLog));
    trackOpenPlatform(this.#exitCloser);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new DeepwaterError('ERR_CLOSED', `Platform for ${this.basePath} is closed`, {
        path: this.basePath,
      });
  }

  #notFound(name: string): DeepwaterError {
    const names = this.#registry.list().map((e) => e.name);
    return new DeepwaterError(
      'ERR_FEED_NOT_FOUND',
      `Feed "${name}" not found in ${this.basePath}${didYouMean(name, names)}; create it with createFeed()`,
      { feed: name, path: this.basePath },
    );
  }

  /** Config, layout and codec of a registered feed; reloaded if the feed was re-created meanwhile. */
  #feed(name: string): CachedFeed {
    assertFeedName(name);
    const entry = this.#registry.find(name);
    if (entry === undefined) {
      this.#feeds.delete(name);
      throw this.#notFound(name);
    }
    const cached = this.#feeds.get(name);
    if (cached !== undefined && cached.createdUs === entry.createdUs) return cached;
    const stored = readFeedConfig(feedDirOf(this.basePath, name), name);
    if (stored === undefined) throw this.#notFound(name);
    const layout = compileFeedLayout(stored.config);
    const feed = {
      createdUs: entry.createdUs,
      config: stored.config,
      layout,
      codec: createCodec(layout, { feedName: name }),
      backend: stored.config.persist ? this.#disk : ringBackend,
    };
    this.#feeds.set(name, feed);
    return feed;
  }

  /** A feed's name; for a spec, also checks that its schema is the stored feed's (types rely on it). */
  #nameOf(feed: string | FeedSpecInput): string {
    if (typeof feed === 'string') return feed;
    const requested = resolveFeedSpec(feed);
    const stored = this.#feed(requested.feedName).config;
    const difference = schemaDifference(stored, requested);
    if (difference !== undefined) {
      throw new DeepwaterError(
        'ERR_SCHEMA_MISMATCH',
        `Feed "${requested.feedName}": the spec given does not match the stored feed: ${difference}`,
        { feed: requested.feedName, path: feedDirOf(this.basePath, requested.feedName) },
      );
    }
    return requested.feedName;
  }

  #opened(name: string): OpenedFeed {
    const feed = this.#feed(name);
    const feedDir = feedDirOf(this.basePath, name);
    feedDirExists(this.basePath, name); // ERR_SYMLINK for a linked feed directory
    const ctx: FeedContext = {
      basePath: this.basePath,
      feedName: name,
      feedDir,
      writerLockPath: join(feedDir, WRITER_LOCK_FILE),
      config: feed.config,
      layout: feed.layout,
      codec: feed.codec,
      logger: this.logger,
      fileMode: this.mode,
      register: (closable) => {
        if (this.#open.has(closable)) return;
        this.#open.add(closable);
        if (!isWriter(closable)) return;
        writerOpened();
        this.logger.info({ feed: name, persist: feed.config.persist, pid: process.pid }, 'writer opened');
      },
      unregister: (closable) => {
        if (!this.#open.delete(closable)) return;
        if (!isWriter(closable)) return;
        writerClosed();
        this.logger.info({ feed: name, pid: process.pid }, 'writer closed');
      },
    };
    return { ctx, backend: feed.backend };
  }

  /**
   * Creates a feed, or checks that an existing one has the same spec (then a no-op). A different
   * spec throws ERR_FEED_EXISTS_CONFLICT naming the setting. Crash-safe: a creation interrupted
   * half-way is finished (or its leftovers discarded) by the next createFeed.
   */
  createFeed(spec: FeedSpecInput): FeedInfo {
    this.#assertOpen();
    const config = resolveFeedSpec(spec);
    const layout = compileFeedLayout(config);
    const name = config.feedName;
    const feedDir = feedDirOf(this.basePath, name);
    return withResourceError(name, "create the feed's files", () =>
      this.#createFeedLocked(config, layout, feedDir),
    );
  }

  #createFeedLocked(config: FeedConfig, layout: RecordLayout, feedDir: string): FeedInfo {
    const name = config.feedName;
    return this.#registry.withLock(() => {
      const entry = this.#registry.find(name);
      if (entry !== undefined) {
        const stored = readFeedConfig(feedDir, name);
        if (stored !== undefined) {
          const difference = configDifference(stored.config, config);
          if (difference !== undefined) {
            throw new DeepwaterError(
              'ERR_FEED_EXISTS_CONFLICT',
              `Feed "${name}" already exists with a different spec: ${difference}`,
              {
                feed: name,
                path: feedDir,
              },
            );
          }
          const registryLost = stored.config.persist && !existsSync(join(feedDir, FEED_REGISTRY_FILE));
          materializeFeedFiles(feedDir, stored.config, layout, entry.createdUs, this.mode);
          if (registryLost && holdsChunkFiles(feedDir)) {
            // chunks.reg vanished under existing data: rebuild it, never start the feed over.
            adoptChunkFiles(feedDir, name, stored.config, layout, createCodec(layout), this.logger);
          }
          return feedInfo(stored.config, layout, entry.createdUs, feedDir);
        }
        // Registered but its feed.json is gone: rebuild the files from this spec.
        this.logger.warn(
          { feed: name, path: feedDir },
          'feed.json missing for a registered feed; rewriting it',
        );
        rewriteFeedConfig(feedDir, config, layout, entry.createdUs, this.mode);
        materializeFeedFiles(feedDir, config, layout, entry.createdUs, this.mode);
        return feedInfo(config, layout, entry.createdUs, feedDir);
      }
      if (config.persist && holdsChunkFiles(feedDir)) {
        // Not registered but holding data (feeds.reg lost or its slot damaged): adopt it.
        return this.#adopt(name, feedDir, config);
      }
      // Not registered and no data: anything in its directory is a leftover of a crashed createFeed/deleteFeed.
      discardFeedDir(this.basePath, name, this.mode);
      const createdUs = Date.now() * 1000;
      try {
        materializeFeedFiles(feedDir, config, layout, createdUs, this.mode);
      } catch (error) {
        // Nothing is registered or written yet: leave the base as it was (a full disk failed the
        // 2 MiB chunks.reg after feed.json), not a half-created feed that health reports.
        try {
          discardFeedDir(this.basePath, name, this.mode);
        } catch {
          // The error below is the cause; the next createFeed discards the leftover itself.
        }
        throw error;
      }
      this.#register(name, config, layout, createdUs);
      this.logger.info(
        { feed: name, persist: config.persist, mode: config.mode, recordSize: layout.recordSize },
        'feed created',
      );
      return feedInfo(config, layout, createdUs, feedDir);
    });
  }

  /** Registers an unregistered feed directory's existing data under the matching spec (registry lock held). */
  #adopt(name: string, feedDir: string, requested: FeedConfig): FeedInfo {
    const { config, createdUs: storedUs } = adoptableConfig(feedDir, name, requested);
    const layout = compileFeedLayout(config);
    const createdUs = storedUs ?? Date.now() * 1000;
    if (storedUs === undefined) rewriteFeedConfig(feedDir, config, layout, createdUs, this.mode);
    materializeFeedFiles(feedDir, config, layout, createdUs, this.mode);
    adoptChunkFiles(feedDir, name, config, layout, createCodec(layout), this.logger);
    this.#register(name, config, layout, createdUs);
    this.logger.info(
      { feed: name, recordSize: layout.recordSize },
      'feed re-registered over its existing data',
    );
    return feedInfo(config, layout, createdUs, feedDir);
  }

  /** Adds the feed's slot to feeds.reg: the last step, so the feed exists exactly once it is complete. */
  #register(name: string, config: FeedConfig, layout: RecordLayout, createdUs: number): void {
    this.#registry.add({
      name,
      persist: config.persist,
      mode: config.mode,
      recordSize: layout.recordSize,
      createdUs,
      chunkSizeBytes: config.chunkSizeBytes,
    });
  }

  listFeeds(): FeedInfo[] {
    this.#assertOpen();
    const infos: FeedInfo[] = [];
    for (const entry of this.#registry.list()) {
      try {
        const feed = this.#feed(entry.name);
        infos.push(feedInfo(feed.config, feed.layout, feed.createdUs, feedDirOf(this.basePath, entry.name)));
      } catch (error) {
        // Deleted between the listing and the read: not a feed any more.
        if ((error as DeepwaterError).code !== 'ERR_FEED_NOT_FOUND') throw error;
      }
    }
    return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  describeFeed(name: string): FeedInfo {
    this.#assertOpen();
    const feed = this.#feed(name);
    return feedInfo(feed.config, feed.layout, feed.createdUs, feedDirOf(this.basePath, name));
  }

  lifecycle(name: string): FeedLifecycle {
    this.#assertOpen();
    return lifecycle(this.#feed(name).config);
  }

  getRecordFormat(name: string): RecordFormat {
    this.#assertOpen();
    const feed = this.#feed(name);
    return recordFormat(feed.layout, feed.config.fields);
  }

  /**
   * The feed's single writer; ERR_WRITER_LOCKED (with the holder's pid) if another one is open anywhere.
   * Given a spec from defineFeed(), the writer's parameters are typed from its fields, and a spec whose
   * schema differs from the stored feed's throws ERR_SCHEMA_MISMATCH.
   */
  createWriter<const S extends FeedSpecInput>(feed: S, options?: WriterOptions): Writer<WriteTypesOf<S>>;
  createWriter(name: string, options?: WriterOptions): Writer;
  createWriter(feed: string | FeedSpecInput, options: WriterOptions = {}): Writer {
    this.#assertOpen();
    const name = this.#nameOf(feed);
    const { ctx, backend } = this.#opened(name);
    checkWriterOptions(name, options);
    return backend.openWriter(ctx, options);
  }

  /**
   * A new reader with its own cursor (never shared between calls). Given a spec from defineFeed(),
   * what it returns is typed from the spec's fields and the `int64` option.
   */
  createReader<const S extends FeedSpecInput, M extends Int64Mode = 'number'>(
    feed: S,
    options?: TypedReaderOptions<M>,
  ): Reader<ReadTypesOf<S, M>>;
  createReader(name: string, options?: ReaderOptions): Reader;
  createReader(feed: string | FeedSpecInput, options?: ReaderOptions): Reader {
    this.#assertOpen();
    const name = this.#nameOf(feed);
    const { ctx, backend } = this.#opened(name);
    const resolved = resolveReaderOptions(name, options);
    return withResourceError(name, "open the reader's registries", () => backend.openReader(ctx, resolved));
  }

  feedStatus(name: string): FeedStatus {
    this.#assertOpen();
    const { ctx, backend } = this.#opened(name);
    return backend.status(ctx);
  }

  /** Deletes a feed and its data. Refuses (ERR_WRITER_LOCKED) while a writer holds it. */
  deleteFeed(name: string, options: { missingOk?: boolean } = {}): boolean {
    this.#assertOpen();
    assertFeedName(name);
    checkOptionKeys(options, ['missingOk'], `deleteFeed("${name}")`);
    return this.#registry.withLock(() => {
      if (this.#registry.find(name) === undefined) {
        if (options.missingOk) return false;
        throw this.#notFound(name);
      }
      const { ctx, backend } = this.#opened(name);
      const lock = lockInBase(ctx.writerLockPath, this.mode, name);
      if (lock === null) {
        throw writerLockedError(name, ctx.writerLockPath, lockHolder(ctx.writerLockPath), 'delete the feed');
      }
      try {
        backend.deleteStorage(ctx);
        this.#registry.remove(name);
      } finally {
        lock.release();
      }
      this.#feeds.delete(name);
      discardFeedDir(this.basePath, name, this.mode);
      this.logger.info({ feed: name, persist: ctx.config.persist }, 'feed deleted');
      return true;
    });
  }

  /** Closes every writer and reader this platform created; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const errors: unknown[] = [];
    for (const closable of [...this.#open]) {
      try {
        closable.close();
      } catch (error) {
        errors.push(error);
      }
    }
    // Anything whose close() threw (or did not unregister) still counts as closed now.
    for (const closable of this.#open) if (isWriter(closable)) writerClosed();
    this.#open.clear();
    this.#disk.close();
    ringBackend.close();
    this.#registry.close();
    untrackOpenPlatform(this.#exitCloser);
    if (errors.length > 0) this.logger.error({ errors }, 'errors while closing the platform');
    this.#baseLog?.release();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function isWriter(closable: Closable): boolean {
  return typeof (closable as Partial<Writer>).writeValues === 'function';
}

function checkWriterOptions(feed: string, options: WriterOptions): void {
  if (options === null || typeof options !== 'object')
    throw new DeepwaterTypeError(`Feed "${feed}": createWriter options must be an object`);
  checkOptionKeys(options, ['durability', 'syncIntervalMs'], `Feed "${feed}": createWriter`);
  if (options.durability !== undefined && !DURABILITIES.includes(options.durability)) {
    throw new DeepwaterTypeError(
      `Feed "${feed}": durability must be one of ${DURABILITIES.join(', ')}, got ${JSON.stringify(options.durability)}${typeof options.durability === 'string' ? didYouMean(options.durability, DURABILITIES) : ''}`,
    );
  }
  const interval = options.syncIntervalMs;
  if (interval !== undefined && (typeof interval !== 'number' || !(interval >= 0))) {
    throw new DeepwaterRangeError(
      `Feed "${feed}": syncIntervalMs must be a number >= 0, got ${String(interval)}`,
    );
  }
}

/**
 * Creates (if missing) and opens the base. A system error doing so (a file where the base or one of
 * its parents should be, no permission) is a BaseUnavailableError naming the path; no-space errors
 * and Deepwater's own (ERR_FORMAT_VERSION, ERR_SYMLINK…) pass through.
 */
function openBase(basePath: string, directoryMode: number, fileMode: number): GlobalRegistry {
  try {
    // The base path may itself be (or pass through) a link: the user chose it. Inside it, nothing is.
    if (mkdirSync(basePath, { recursive: true }) !== undefined) chmodSync(basePath, directoryMode);
    ensureDirectory(join(basePath, FEEDS_DIR), directoryMode);
    ensureManifest(basePath, fileMode);
    return new GlobalRegistry(basePath, fileMode);
  } catch (error) {
    if (error instanceof DeepwaterError || isNoSpace(error) || isOutOfMemory(error)) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is where the base directory or one of its parents should be'
        : code === 'EACCES' || code === 'EPERM'
          ? 'no permission'
          : (error as Error).message;
    throw new BaseUnavailableError(`Cannot open the base ${basePath}: ${why} (${code})`, basePath, error);
  }
}
