import { capacityFor, type RingWriterOptions } from '@deepwater/ring';
import type { FeedContext } from '../platform/feed-context.js';

/** A ring's geometry from the feed: chunkSizeBytes of record area, rounded down to whole records. */
export function ringGeometry(
  ctx: FeedContext,
): Pick<RingWriterOptions, 'recordSize' | 'capacity' | 'timestampOffset' | 'timestampSigned'> {
  const { recordSize, tsOffset, tsType } = ctx.layout;
  return {
    recordSize,
    capacity: capacityFor(recordSize, ctx.config.chunkSizeBytes),
    timestampOffset: tsOffset,
    timestampSigned: tsType === 'int64',
  };
}
