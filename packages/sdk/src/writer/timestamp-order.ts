import { DeepwaterRangeError } from '@deepwater/errors';
import type { FeedContext } from '../platform/feed-context.js';

/** Timestamps are non-decreasing per feed; the codec returns them, the writer enforces the order. */
export function decreasingTimestampError(
  ctx: FeedContext,
  ts: number | bigint,
  previous: number | bigint,
  row?: number,
): RangeError {
  const where = row === undefined ? '' : ` (batch row ${row})`;
  const error = new DeepwaterRangeError(
    `Feed "${ctx.feedName}": field "${ctx.layout.tsCol}" must be non-decreasing, got ${ts} after ${previous}${where}; nothing was written`,
    { feed: ctx.feedName, field: ctx.layout.tsCol },
  );
  if (row !== undefined) Object.assign(error, { row });
  return error;
}

/**
 * The order check on rounded timestamps lets equal doubles pass, and beyond 2^53 equal doubles may
 * hide a decrease (ns since the epoch are 256 apart per double near 1.7e18). Callers ask this only
 * when the rounded timestamps tie and are not safe integers: then both raw values are bigints (the
 * codec refuses unsafe numbers) and are compared exactly. An unknown previous raw value (a writer
 * resumed on an existing feed, before its first record) cannot be compared: false.
 */
export function exactlyDecreasing(raw: unknown, previousRaw: unknown): boolean {
  return typeof raw === 'bigint' && typeof previousRaw === 'bigint' && raw < previousRaw;
}

/**
 * The writers' per-record order check, cold part: the caller keeps its one inline compare
 * (`ts <= lastTs`) and calls this only on a tie or a decrease. Refuses a decrease, or a tie of
 * rounded timestamps beyond 2^53 that hides an exact decrease; `previousRaw` (the last raw
 * timestamp, or a function reading it) is asked only in that second case.
 */
export function refuseOutOfOrder(
  ctx: FeedContext,
  ts: number,
  lastTs: number,
  raw: unknown,
  previousRaw: unknown,
  row?: number,
): void {
  if (ts < lastTs) throw decreasingTimestampError(ctx, ts, lastTs, row);
  if (Number.isSafeInteger(ts)) return;
  const previous = typeof previousRaw === 'function' ? previousRaw() : previousRaw;
  if (exactlyDecreasing(raw, previous))
    throw decreasingTimestampError(ctx, raw as bigint, previous as bigint, row);
}

/** Cheap pre-check on the raw value so an out-of-order record is refused before any byte is touched. */
export function rawTimestamp(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN; // the codec rejects it with a precise message
}
