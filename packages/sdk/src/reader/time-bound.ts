import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import type { RecordLayout } from '@deepwater/schema-wasm';

/**
 * A timestamp bound for searches, exact for any 64-bit value while keeping the common case a plain
 * number comparison.
 *
 * `codec.readTimestamp` returns the record's 64-bit timestamp rounded once to a double. Rounding is
 * monotone, so for a record x and a bound q rounded the same way: r(x) < r(q) ⇒ x < q and
 * r(x) > r(q) ⇒ x > q. Only r(x) === r(q) is ambiguous, and only when q is not itself a safe integer
 * (every value within ±(2^53 − 1) rounds to itself). So `approx` drives every search, and `exact` —
 * set only for bounds beyond the safe range — settles the ties on that slow path.
 */
export interface TimeBound {
  /** The bound rounded to a double (±Infinity: unbounded). */
  readonly approx: number;
  /** The exact bound, only when approx is not exact; undefined on the fast path. */
  readonly exact: bigint | undefined;
}

export const UNBOUNDED_BELOW: TimeBound = { approx: Number.NEGATIVE_INFINITY, exact: undefined };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function boundOfBigint(value: bigint): TimeBound {
  const approx = Number(value);
  return { approx, exact: value > MAX_SAFE || value < -MAX_SAFE ? value : undefined };
}

/**
 * A timestamp argument (`start`/`end`) as a bound. A number must be a safe integer — beyond
 * ±(2^53 − 1) a number cannot denote an exact instant (nanoseconds since the epoch are ~1.7e18), so
 * it is refused rather than rounded — or ±Infinity for an open end. A bigint is taken exactly.
 */
export function timeBoundArg(feed: string, name: string, value: unknown): TimeBound {
  if (typeof value === 'bigint') return boundOfBigint(value);
  if (typeof value !== 'number') {
    throw new DeepwaterTypeError(
      `Feed "${feed}": ${name} must be a number or bigint timestamp, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (Number.isSafeInteger(value) || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY)
    return { approx: value, exact: undefined };
  throw new DeepwaterRangeError(
    `Feed "${feed}": ${name} ${String(value)} is not a safe integer timestamp; a number beyond ±(2^53 − 1) ` +
      'or with a fraction cannot denote an exact instant: pass a bigint (e.g. 1764151200000000000n)',
  );
}

/** Reads a record's timestamp exactly (the slow path's tie-breaker). */
export type ExactTimestampReader = (view: DataView, byteOffset: number) => bigint;

export function exactTimestampReader(layout: RecordLayout): ExactTimestampReader {
  const offset = layout.tsOffset;
  return layout.tsType === 'int64'
    ? (view, byteOffset) => view.getBigInt64(byteOffset + offset, true)
    : (view, byteOffset) => view.getBigUint64(byteOffset + offset, true);
}

/**
 * True when the record at `byteOffset` is below the bound, exactly. `approxTs` is the codec's
 * rounded read of that record, which the caller has already made.
 */
export function isBelow(
  approxTs: number,
  bound: TimeBound,
  readExact: ExactTimestampReader,
  view: DataView,
  byteOffset: number,
): boolean {
  if (approxTs !== bound.approx || bound.exact === undefined) return approxTs < bound.approx;
  return readExact(view, byteOffset) < bound.exact;
}

/**
 * The bound just past `bound` (value + 1), exact: the lower bound of it is the first record with a
 * timestamp above `bound`, so the record before that is the last one at or below it (asOf).
 */
export function boundAfter(bound: TimeBound): TimeBound {
  if (!Number.isFinite(bound.approx)) return bound;
  if (bound.exact !== undefined) return boundOfBigint(bound.exact + 1n);
  const next = bound.approx + 1;
  return Number.isSafeInteger(next)
    ? { approx: next, exact: undefined }
    : boundOfBigint(BigInt(bound.approx) + 1n);
}

/** Whole time units per second for each `tsUnit`. */
export const UNITS_PER_SECOND = { s: 1, ms: 1e3, us: 1e6, ns: 1e9 } as const;
export type TimeUnit = keyof typeof UNITS_PER_SECOND;
export const TIME_UNITS = Object.keys(UNITS_PER_SECOND) as TimeUnit[];

/**
 * The bound `newest − seconds` (in the feed's unit) for latest(seconds), exact for any newest.
 * `newestApprox` is the rounded read of the newest record; `newestExact` reads it exactly.
 */
export function boundBefore(
  newestApprox: number,
  newestExact: () => bigint,
  seconds: number,
  unitsPerSecond: number,
): TimeBound {
  // For integer timestamps ts >= newest − d  ⇔  ts >= newest − floor(d).
  const delta = Math.floor(seconds * unitsPerSecond);
  if (!Number.isFinite(delta)) return UNBOUNDED_BELOW;
  const approx = newestApprox - delta;
  if (Number.isSafeInteger(newestApprox) && Number.isSafeInteger(approx)) return { approx, exact: undefined };
  return boundOfBigint(newestExact() - BigInt(delta));
}

/** True when no timestamp t satisfies from <= t < to. */
export function isEmptySpan(from: TimeBound, to: TimeBound): boolean {
  if (from.approx !== to.approx) return to.approx < from.approx;
  if (from.exact === undefined && to.exact === undefined) return true;
  return (to.exact ?? BigInt(to.approx)) <= (from.exact ?? BigInt(from.approx));
}
