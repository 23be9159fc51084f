import { join } from 'node:path';
import { lockHolder } from '@deepwater/storage-native';
import { rethrowResourceError, writerLockedError } from '../errors.js';
import { lockInBase } from '../platform/base-fs.js';
import type { FeedBackend } from '../platform/feed-backend.js';
import type { FeedContext } from '../platform/feed-context.js';
import { diskFeedStatus, type FeedStatus } from '../platform/feed-status.js';
import type { Reader } from '../reader/reader.js';
import type { ResolvedReaderOptions } from '../reader/reader-options.js';
import { FEED_REGISTRY_FILE } from '../registry/layout.js';
import type { Writer, WriterOptions } from '../writer/writer.js';
import { DiskReader } from './disk-reader.js';
import { DiskWriter } from './disk-writer.js';
import { FeedRegistry } from './feed-registry.js';
import { LiveChunks } from './live-chunks.js';

/**
 * persist: true feeds — chunk files and their registries in the feed directory. One per Platform:
 * it keeps each feed's registry and live chunk mapped between status() calls (a dashboard polls).
 */
export class DiskBackend implements FeedBackend {
  readonly #statusRegistries = new Map<string, FeedRegistry>();
  readonly #liveChunks = new LiveChunks();

  openWriter(ctx: FeedContext, options: WriterOptions): Writer {
    const lock = lockInBase(ctx.writerLockPath, ctx.fileMode, ctx.feedName);
    if (lock === null) {
      throw writerLockedError(ctx.feedName, ctx.writerLockPath, lockHolder(ctx.writerLockPath));
    }
    try {
      return new DiskWriter(ctx, lock, options);
    } catch (error) {
      lock.release();
      rethrowResourceError(error, ctx.feedName, "open the writer's chunk and registries");
    }
  }

  openReader(ctx: FeedContext, options: ResolvedReaderOptions): Reader {
    return new DiskReader(ctx, options);
  }

  status(ctx: FeedContext): FeedStatus {
    let registry = this.#statusRegistries.get(ctx.feedName);
    if (registry === undefined) {
      registry = new FeedRegistry(join(ctx.feedDir, FEED_REGISTRY_FILE), ctx.feedName);
      this.#statusRegistries.set(ctx.feedName, registry);
    }
    return diskFeedStatus(ctx, registry, this.#liveChunks);
  }

  deleteStorage(ctx: FeedContext): void {
    // The chunks live in the feed directory (discarded by the Platform): only drop the kept mappings.
    this.#statusRegistries.get(ctx.feedName)?.close();
    this.#statusRegistries.delete(ctx.feedName);
    this.#liveChunks.release(ctx.feedName);
  }

  close(): void {
    for (const registry of this.#statusRegistries.values()) registry.close();
    this.#statusRegistries.clear();
    this.#liveChunks.close();
  }
}
