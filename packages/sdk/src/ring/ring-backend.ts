import { withResourceError } from '../errors.js';
import type { FeedBackend } from '../platform/feed-backend.js';
import type { FeedContext } from '../platform/feed-context.js';
import { baseStatus, type FeedStatus } from '../platform/feed-status.js';
import type { Reader } from '../reader/reader.js';
import type { ResolvedReaderOptions } from '../reader/reader-options.js';
import type { Writer } from '../writer/writer.js';
import { createRingReader, createRingWriter, deleteRingStorage, ringStatus } from './index.js';

/**
 * persist: false feeds — a shared-memory ring. Keeps nothing between calls, so one object serves
 * every Platform. Writer options (durability) do not apply: a ring is never synced to disk.
 */
export const ringBackend: FeedBackend = {
  openWriter(ctx: FeedContext): Writer {
    return withResourceError(ctx.feedName, 'create the ring', () => createRingWriter(ctx));
  },

  openReader(ctx: FeedContext, options: ResolvedReaderOptions): Reader {
    return createRingReader(ctx, options);
  },

  status(ctx: FeedContext): FeedStatus {
    const ring = ringStatus(ctx);
    // The ring header holds no wall-clock append time, so lastAppendUs stays null for rings.
    return {
      ...baseStatus(ctx),
      records: ring.recordsHeld,
      firstTs: ring.firstTs,
      lastTs: ring.lastTs,
      ring,
    };
  },

  deleteStorage(ctx: FeedContext): void {
    deleteRingStorage(ctx);
  },

  close(): void {},
};
