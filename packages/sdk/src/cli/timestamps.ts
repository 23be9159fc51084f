import { DeepwaterRangeError } from '@deepwater/errors';
import { type TimeUnit, UNITS_PER_SECOND } from '../reader/time-bound.js';

/**
 * Timestamps on the command line: an integer in the feed's unit (tsUnit: µs by default, or ns, ms,
 * s) since the epoch, ISO-8601 with up to nine fractional digits, or `now` / `now-<N><s|m|h|d>`.
 * Results are exact: a number while it is a safe integer, a bigint beyond (ns since the epoch).
 */

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const RELATIVE_PATTERN = /^now(?:-(\d+(?:\.\d+)?)(s|m|h|d))?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
/** What each unit is called in messages and help. */
export const UNIT_NAMES: Readonly<Record<TimeUnit, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
};
const NANOS_PER_UNIT: Readonly<Record<TimeUnit, bigint>> = {
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1000n,
  ns: 1n,
};
/** The widest 64-bit timestamp column: int64 below, uint64 above. */
const MIN_TS = -(2n ** 63n);
const MAX_TS = 2n ** 64n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a number when that is exact, else the bigint. */
function exact(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** Nanoseconds to the unit, rounding UP: for integer records, ts >= ceil(t) ⇔ ts >= t and ts < ceil(t) ⇔ ts < t. */
function fromNanos(nanos: bigint, unit: TimeUnit): bigint {
  const per = NANOS_PER_UNIT[unit];
  const quotient = nanos / per;
  return nanos % per > 0n ? quotient + 1n : quotient;
}

/**
 * Parses a timestamp argument into the feed's unit (`unit`, default µs), exactly.
 *
 * An ISO time without a zone is read as UTC, so the same command means the same instant on every
 * machine. Digits finer than the unit round UP, so both ends of a half-open `[from, to)` range stay
 * exact. Dates, times and zone offsets are checked strictly (an offset's hours are 00–23, its
 * minutes 00–59, as RFC 3339 has them); every refusal names the text.
 */
export function parseTimestamp(
  text: string,
  nowMicros: number,
  what = 'timestamp',
  unit: TimeUnit = 'us',
): number | bigint {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) {
    const value = BigInt(trimmed);
    if (value < MIN_TS || value > MAX_TS) {
      throw new DeepwaterRangeError(`${what} "${text}" is outside the 64-bit range of ${UNIT_NAMES[unit]}`);
    }
    return exact(value);
  }
  const relative = RELATIVE_PATTERN.exec(trimmed);
  if (relative) {
    const nowNanos = BigInt(Math.trunc(nowMicros)) * 1000n;
    if (relative[1] === undefined) return exact(fromNanos(nowNanos, unit));
    const agoNanos = BigInt(Math.round(Number(relative[1]) * UNIT_SECONDS[relative[2]] * 1e9));
    return exact(fromNanos(nowNanos - agoNanos, unit));
  }
  const iso = ISO_PATTERN.exec(trimmed);
  if (!iso) {
    throw new DeepwaterRangeError(
      `${what} "${text}" is not a timestamp: use ${UNIT_NAMES[unit]} since the epoch (${unit === 'ns' ? '1764151200000000000' : '1764151200000000'}), ` +
        `ISO-8601 (2025-11-26T10:00:00.123456Z) or now-<N><s|m|h|d> (now-15m)`,
    );
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
  const fields = {
    month: [Number(month), 1, 12],
    day: [Number(day), 1, 31],
    hour: [Number(hour), 0, 23],
    minute: [Number(minute), 0, 59],
    second: [Number(second), 0, 59],
  };
  for (const [name, [value, min, max]] of Object.entries(fields)) {
    if (value < min || value > max)
      throw new DeepwaterRangeError(`${what} "${text}" has an invalid ${name} (${value})`);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) {
    throw new DeepwaterRangeError(`${what} "${text}" names a day that does not exist`);
  }
  const seconds = date.getTime() / 1000 + Number(hour) * 3600 + Number(minute) * 60 + Number(second);
  const nanos =
    BigInt(seconds) * 1_000_000_000n +
    BigInt(fraction.padEnd(9, '0')) -
    zoneOffsetSeconds(zone, text, what) * 1_000_000_000n;
  return exact(fromNanos(nanos, unit));
}

export interface ParseTimeOptions {
  /** The feed's unit (its tsUnit): 'us' (default), 'ns', 'ms' or 's'. */
  unit?: TimeUnit;
  /** What `now` means, in µs since the epoch (default: the clock now). */
  nowMicros?: number;
  /** How refusals name the text, e.g. '--from' (default 'timestamp'). */
  name?: string;
}

/**
 * A time bound as the CLI's `--from`/`--to` read it (see parseTimestamp), for tools built on the sdk
 * (e.g. @deepwater/arrow's export): the same text means the same instant everywhere.
 */
export function parseTime(text: string, options: ParseTimeOptions = {}): number | bigint {
  const { unit = 'us', nowMicros = Date.now() * 1000, name = 'timestamp' } = options;
  return parseTimestamp(text, nowMicros, name, unit);
}

function zoneOffsetSeconds(zone: string, text: string, what: string): bigint {
  if (zone === 'Z' || zone === 'z') return 0n;
  const sign = zone[0] === '-' ? -1n : 1n;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) {
    throw new DeepwaterRangeError(
      `${what} "${text}" has an invalid zone offset (${zone}): hours 00-23, minutes 00-59`,
    );
  }
  return sign * BigInt(hours * 3600 + minutes * 60);
}

/**
 * Formats a timestamp in the feed's unit as ISO-8601 UTC with the unit's fractional digits (none
 * for s, 3 for ms, 6 for µs, 9 for ns) — exact, no float rounding. A number is taken as it is (a
 * number beyond 2^53 is already rounded; pass the bigint). Outside the dates JavaScript can show,
 * the raw value is printed.
 */
export function formatTimestamp(value: number | bigint | null | undefined, unit: TimeUnit = 'us'): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const ticks = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  const nanos = ticks * NANOS_PER_UNIT[unit];
  let millis = nanos / 1_000_000n;
  let subMillis = nanos % 1_000_000n;
  if (subMillis < 0n) {
    subMillis += 1_000_000n;
    millis -= 1n;
  }
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return String(value);
  const base = date.toISOString(); // 2025-11-26T10:00:00.123Z (or ±YYYYYY-… far out)
  const digits = { s: 0, ms: 3, us: 6, ns: 9 }[unit];
  const fraction = `${base.slice(-4, -1)}${subMillis.toString().padStart(6, '0')}`.slice(0, digits);
  return `${base.slice(0, -5)}${digits === 0 ? '' : `.${fraction}`}Z`;
}

/** A duration in the feed's unit as microseconds (for ages against a µs wall clock). */
export function unitToMicros(value: number, unit: TimeUnit): number {
  return (value / UNITS_PER_SECOND[unit]) * 1e6;
}

/** A short human age: 4s, 12m, 3.5h, 2d. */
export function formatAge(micros: number): string {
  const seconds = micros / 1e6;
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
