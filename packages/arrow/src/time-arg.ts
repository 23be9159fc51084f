import { DeepwaterRangeError } from '@deepwater/errors';

export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

/**
 * `--from`/`--to` as the sdk's `deepwater dump` reads them (packages/sdk/src/cli/timestamps.ts,
 * not exported by the sdk), so `deepwater export` and `deepwater dump` take the same bounds: an
 * integer in the feed's unit, ISO 8601 with up to nine fractional digits (UTC when no zone is
 * given, never the machine's zone), or `now` / `now-<N><s|m|h|d>`. Exact: digits finer than the
 * unit round up, which keeps both ends of [from, to) exact for integer timestamps.
 */
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const RELATIVE_PATTERN = /^now(?:-(\d+(?:\.\d+)?)(s|m|h|d))?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const NANOS_PER_UNIT: Record<TimeUnit, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n };
const UNIT_NAMES: Record<TimeUnit, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
};
const MIN_TS = -(2n ** 63n);
const MAX_TS = 2n ** 64n - 1n;

/** Nanoseconds to the unit, rounding up. */
function fromNanos(nanos: bigint, unit: TimeUnit): bigint {
  const per = NANOS_PER_UNIT[unit];
  const quotient = nanos / per;
  return nanos % per > 0n ? quotient + 1n : quotient;
}

function zoneOffsetSeconds(zone: string, text: string, name: string): bigint {
  if (zone === 'Z' || zone === 'z') return 0n;
  const sign = zone[0] === '-' ? -1n : 1n;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) {
    throw new DeepwaterRangeError(
      `${name} "${text}" has an invalid zone offset (${zone}): hours 00-23, minutes 00-59`,
    );
  }
  return sign * BigInt(hours * 3600 + minutes * 60);
}

/** A time bound in the feed's unit, exactly (see above); every refusal names the option and text. */
export function parseTimeArg(text: string, unit: TimeUnit, name: string, nowMs = Date.now()): bigint {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) {
    const value = BigInt(trimmed);
    if (value < MIN_TS || value > MAX_TS) {
      throw new DeepwaterRangeError(`${name} "${text}" is outside the 64-bit range of ${UNIT_NAMES[unit]}`);
    }
    return value;
  }
  const relative = RELATIVE_PATTERN.exec(trimmed);
  if (relative) {
    const nowNanos = BigInt(Math.trunc(nowMs)) * 1_000_000n;
    if (relative[1] === undefined) return fromNanos(nowNanos, unit);
    const agoNanos = BigInt(Math.round(Number(relative[1]) * UNIT_SECONDS[relative[2]] * 1e9));
    return fromNanos(nowNanos - agoNanos, unit);
  }
  const iso = ISO_PATTERN.exec(trimmed);
  if (!iso) {
    throw new DeepwaterRangeError(
      `${name} "${text}" is neither an integer timestamp in ${UNIT_NAMES[unit]} nor an ISO 8601 date ` +
        '(2026-12-01T10:00:00.123456Z) nor now-<N><s|m|h|d> (now-15m)',
    );
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
  const fields: Record<string, [number, number, number]> = {
    month: [Number(month), 1, 12],
    day: [Number(day), 1, 31],
    hour: [Number(hour), 0, 23],
    minute: [Number(minute), 0, 59],
    second: [Number(second), 0, 59],
  };
  for (const [field, [value, min, max]] of Object.entries(fields)) {
    if (value < min || value > max)
      throw new DeepwaterRangeError(`${name} "${text}" has an invalid ${field} (${value})`);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) {
    throw new DeepwaterRangeError(`${name} "${text}" names a day that does not exist`);
  }
  const seconds = date.getTime() / 1000 + Number(hour) * 3600 + Number(minute) * 60 + Number(second);
  const nanos =
    BigInt(seconds) * 1_000_000_000n +
    BigInt(fraction.padEnd(9, '0')) -
    zoneOffsetSeconds(zone, text, name) * 1_000_000_000n;
  return fromNanos(nanos, unit);
}
