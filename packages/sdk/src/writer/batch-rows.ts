import { DeepwaterTypeError } from '@deepwater/errors';
import type { FeedContext } from '../platform/feed-context.js';
import { refuseOutOfOrder } from './timestamp-order.js';

/** One row of writeBatch: values in field order, or an object keyed by field name. */
export type Row = ArrayLike<unknown> | Readonly<Record<string, unknown>>;

export function isTupleRow(row: Row): row is ArrayLike<unknown> {
  // Not `'length' in row`: a schema may have a field called "length".
  return Array.isArray(row) || ArrayBuffer.isView(row);
}

/**
 * Validates every row of a batch (shape, values, non-decreasing timestamps from `lastTs` on)
 * before anything is written, so a bad row throws with nothing written. Calls `onStamp(i, ts)` per
 * row for writers that need each timestamp, and returns the batch's last timestamp. `lastRaw` is
 * the writer's last timestamp as given (or a function reading it): asked only when the first row's
 * timestamp ties with `lastTs` beyond 2^53.
 */
/** The raw timestamp value of a row, as given (number or bigint). */
export function rowTimestamp(ctx: FeedContext, row: Row): unknown {
  return isTupleRow(row)
    ? (row as ArrayLike<unknown>)[ctx.layout.tsIndex]
    : (row as Readonly<Record<string, unknown>>)[ctx.layout.tsCol];
}

/** A decrease, or a tie of rounded timestamps beyond 2^53 hiding an exact one (raw values compared). */
export function checkOrder(
  ctx: FeedContext,
  rows: readonly Row[],
  i: number,
  ts: number,
  previous: number,
  lastRaw: unknown,
): void {
  if (ts === previous && Number.isSafeInteger(ts)) return; // a plain tie: no raw value to read
  const before = i === 0 ? lastRaw : rowTimestamp(ctx, rows[i - 1]);
  refuseOutOfOrder(ctx, ts, previous, rowTimestamp(ctx, rows[i]), before, i);
}

/** writeBatch's error for a row that is neither an array nor an object. */
export function notARowError(ctx: FeedContext, i: number, row: unknown): TypeError {
  return new DeepwaterTypeError(
    `Feed "${ctx.feedName}": writeBatch row ${i} must be an array or an object, got ${row === null ? 'null' : typeof row}`,
  );
}

export function validateBatch(
  ctx: FeedContext,
  rows: readonly Row[],
  lastTs: number,
  onStamp?: (index: number, ts: number) => void,
  lastRaw?: unknown,
): number {
  if (!Array.isArray(rows))
    throw new DeepwaterTypeError(`Feed "${ctx.feedName}": writeBatch expects an array of rows`);
  const codec = ctx.codec;
  let previous = lastTs;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object') throw notARowError(ctx, i, row);
    const ts = isTupleRow(row) ? codec.validateTuple(row) : codec.validateObject(row);
    if (ts <= previous) checkOrder(ctx, rows, i, ts, previous, lastRaw); // one compare unless tie or decrease
    onStamp?.(i, ts);
    previous = ts;
  }
  return previous;
}
