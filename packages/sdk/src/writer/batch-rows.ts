import type { FeedContext } from '../platform/feed-context.js';
import { decreasingTimestampError } from './timestamp-order.js';

/** One row of writeBatch: values in field order, or an object keyed by field name. */
export type Row = ArrayLike<unknown> | Readonly<Record<string, unknown>>;

export function isTupleRow(row: Row): row is ArrayLike<unknown> {
  // Not `'length' in row`: a schema may have a field called "length".
  return Array.isArray(row) || ArrayBuffer.isView(row);
}

/**
 * Validates every row of a batch (shape, values, non-decreasing timestamps from `lastTs` on)
 * before anything is written, so a bad row throws with nothing written. Calls `onStamp(i, ts)` per
 * row for writers that need each timestamp, and returns the batch's last timestamp.
 */
export function validateBatch(
  ctx: FeedContext,
  rows: readonly Row[],
  lastTs: number,
  onStamp?: (index: number, ts: number) => void,
): number {
  if (!Array.isArray(rows))
    throw new TypeError(`Feed "${ctx.feedName}": writeBatch expects an array of rows`);
  const codec = ctx.codec;
  let previous = lastTs;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object') {
      throw new TypeError(
        `Feed "${ctx.feedName}": writeBatch row ${i} must be an array or an object, got ${row === null ? 'null' : typeof row}`,
      );
    }
    const ts = isTupleRow(row) ? codec.validateTuple(row) : codec.validateObject(row);
    if (ts < previous) throw decreasingTimestampError(ctx, ts, previous, i);
    onStamp?.(i, ts);
    previous = ts;
  }
  return previous;
}
