import { asNumber } from './normalize.js';
import type { FeedSchema } from './types.js';

/** µs timestamps of this century fall in this range; a field outside it is printed as a number. */
const EPOCH_US_MIN = 946_684_800_000_000; // 2000-01-01
const EPOCH_US_MAX = 4_102_444_800_000_000; // 2100-01-01

const RECEIVE_FIELD = /(^|_)(recv|receive|received|local|arrival|ingest)(_|$)/i;

/** A field that records when the ingester received the message, by name and integer type. */
export function receiveTimestampField(schema: FeedSchema): string | null {
  const candidates = schema.fields.filter((f) => /^u?int64$/.test(f.type) && RECEIVE_FIELD.test(f.name));
  return candidates[0]?.name ?? null;
}

const TIMESTAMP_NAME = /(^ts$|_ts$|_us$|time|timestamp)/i;

/** Integer fields that hold µs times: the time column and any 64-bit field named like one. */
export function timestampFields(schema: FeedSchema | null): Set<string> {
  const out = new Set<string>();
  if (!schema) return out;
  if (schema.tsCol) out.add(schema.tsCol);
  for (const f of schema.fields) {
    if (/^u?int64$/.test(f.type) && (TIMESTAMP_NAME.test(f.name) || RECEIVE_FIELD.test(f.name)))
      out.add(f.name);
  }
  return out;
}

/** Prints a decoded value for a narrow cell: timestamps as a time of day with µs, floats shortened. */
export function formatValue(value: unknown, isTimestamp: boolean): string {
  if (value == null) return '';
  const n = asNumber(value);
  if (isTimestamp && n != null && n >= EPOCH_US_MIN && n < EPOCH_US_MAX) {
    const ms = Math.floor(n / 1000);
    const micros = String(Math.round(n - ms * 1000)).padStart(3, '0');
    return `${new Date(ms).toISOString().slice(11, 23)}${micros}`;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) {
    return String(Number(value.toPrecision(10)));
  }
  return String(value);
}

export interface ReceiveLatency {
  /**
   * From the newest record's receive time to the moment a reader read it: how long the newest
   * data took to become visible, plus the gap since the previous write (an upper bound).
   */
  newestUs: number | null;
  /** The median of (read time − receive time) over the records shown. */
  medianUs: number | null;
}

export function receiveLatency(
  records: readonly Record<string, unknown>[],
  field: string,
  readAtUs: number,
): ReceiveLatency {
  const ages = records
    .map((r) => asNumber(r[field]))
    .filter((t): t is number => t != null)
    .map((t) => readAtUs - t)
    .sort((a, b) => a - b);
  return {
    newestUs: ages.length ? ages[0] : null,
    medianUs: ages.length ? ages[Math.floor(ages.length / 2)] : null,
  };
}
