import type { FeedContext } from '../platform/feed-context.js';

/** Timestamps are non-decreasing per feed; the codec returns them, the writer enforces the order. */
export function decreasingTimestampError(
  ctx: FeedContext,
  ts: number,
  previous: number,
  row?: number,
): RangeError {
  const where = row === undefined ? '' : ` (batch row ${row})`;
  return new RangeError(
    `Feed "${ctx.feedName}": field "${ctx.layout.tsCol}" must be non-decreasing, got ${ts} after ${previous}${where}; nothing was written`,
  );
}

/** Cheap pre-check on the raw value so an out-of-order record is refused before any byte is touched. */
export function rawTimestamp(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN; // the codec rejects it with a precise message
}
