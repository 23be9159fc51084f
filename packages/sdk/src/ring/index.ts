// Glue between the Platform and @deepwater/ring for persist:false feeds (owned by the ring engineer).
import { DeepwaterError } from '../errors.js';
import type { FeedContext } from '../platform/feed-context.js';
import type { Reader, ReaderOptions } from '../reader/reader.js';
import type { Writer } from '../writer/writer.js';

function notAvailable(ctx: FeedContext): DeepwaterError {
  return new DeepwaterError(
    'ERR_NOT_IMPLEMENTED',
    `Feed "${ctx.feedName}": ring feeds are not available yet`,
    {
      feed: ctx.feedName,
    },
  );
}

export function createRingWriter(ctx: FeedContext): Writer {
  throw notAvailable(ctx);
}

export function createRingReader(ctx: FeedContext, _options: ReaderOptions): Reader {
  throw notAvailable(ctx);
}

/** Extra fields for FeedStatus.ring (capacity, fill, wraps, readers' lag, lost...); undefined while unavailable. */
export function ringStatus(_ctx: FeedContext): Record<string, unknown> | undefined {
  return undefined;
}

/** Called by Platform.deleteFeed (writer lock held) to remove the ring's shared memory. */
export function deleteRingStorage(_ctx: FeedContext): void {}
