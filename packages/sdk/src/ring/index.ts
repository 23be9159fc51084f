// Glue between the Platform and @deepwater/ring for persist:false feeds (owned by the ring engineer).
import { unlinkRing } from '@deepwater/ring';
import type { FeedContext } from '../platform/feed-context.js';
import type { Reader } from '../reader/reader.js';
import type { ResolvedReaderOptions } from '../reader/reader-options.js';
import type { Writer } from '../writer/writer.js';
import { translateRingError } from './ring-errors.js';
import { RingFeedReader } from './ring-feed-reader.js';
import { RingFeedWriter } from './ring-feed-writer.js';
import { ringShmName } from './ring-name.js';
import { removeMovedRing } from './ring-record.js';
import { ringStatus as computeRingStatus, type RingStatus } from './ring-status.js';

export { ringShmName } from './ring-name.js';
export type { RingReaderStatus, RingStatus } from './ring-status.js';

/** The feed's RingWriter: takes the writer lock on ctx.writerLockPath, creates or reattaches the ring. */
export function createRingWriter(ctx: FeedContext): Writer {
  return new RingFeedWriter(ctx);
}

/** A new RingReader with its own cursors; works before the ring exists. */
export function createRingReader(ctx: FeedContext, options: ResolvedReaderOptions): Reader {
  return new RingFeedReader(ctx, options);
}

/** FeedStatus.ring: capacity, records written/held, wraps, first/last timestamps, writer pid, readers' lag and losses. */
export function ringStatus(ctx: FeedContext): RingStatus {
  try {
    return computeRingStatus(ctx);
  } catch (error) {
    // An object at the ring's name that is not a ring: the error the feed's readers report.
    throw translateRingError(ctx.feedName, error);
  }
}

/**
 * Called by Platform.deleteFeed (writer lock held) to remove the ring's shared memory: the object
 * of the base's current path, and the one it had before the base was moved, if recorded.
 */
export function deleteRingStorage(ctx: FeedContext): void {
  const shmName = ringShmName(ctx.basePath, ctx.feedName);
  unlinkRing(shmName);
  removeMovedRing(ctx, shmName);
}
