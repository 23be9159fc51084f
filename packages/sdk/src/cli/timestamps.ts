/**
 * Timestamps on the command line: integer microseconds since the epoch, ISO-8601 with up to nine
 * fractional digits, or `now` / `now-<N><s|m|h|d>`. Feed timestamps are integer microseconds.
 */

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const RELATIVE_PATTERN = /^now(?:-(\d+(?:\.\d+)?)(s|m|h|d))?$/;
const UNIT_MICROS: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 };

/**
 * Parses a timestamp argument into integer microseconds.
 *
 * An ISO time without a zone is read as UTC, so the same command means the same instant on every
 * machine. Sub-microsecond digits round UP: for integer-µs records, `ts >= ceil(t)` ⇔ `ts >= t` and
 * `ts < ceil(t)` ⇔ `ts < t`, so both ends of a half-open `[from, to)` range stay exact.
 */
export function parseTimestamp(text: string, nowMicros: number, what = 'timestamp'): number {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) {
    const value = Number(trimmed);
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${what} "${text}" is outside the safe integer range of microseconds`);
    }
    return value;
  }
  const relative = RELATIVE_PATTERN.exec(trimmed);
  if (relative) {
    if (relative[1] === undefined) return nowMicros;
    return nowMicros - Math.round(Number(relative[1]) * UNIT_MICROS[relative[2]]);
  }
  const iso = ISO_PATTERN.exec(trimmed);
  if (!iso) {
    throw new RangeError(
      `${what} "${text}" is not a timestamp: use microseconds since the epoch (1764151200000000), ` +
        `ISO-8601 (2025-11-26T10:00:00.123456Z) or now-<N><s|m|h|d> (now-15m)`,
    );
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
  const fields = { month: [Number(month), 1, 12], day: [Number(day), 1, 31], hour: [Number(hour), 0, 23] };
  for (const [name, [value, min, max]] of Object.entries(fields)) {
    if (value < min || value > max)
      throw new RangeError(`${what} "${text}" has an invalid ${name} (${value})`);
  }
  if (Number(minute) > 59 || Number(second) > 60) {
    throw new RangeError(`${what} "${text}" has an invalid time of day`);
  }
  const wholeMillis = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const check = new Date(wholeMillis);
  if (check.getUTCDate() !== Number(day)) {
    throw new RangeError(`${what} "${text}" names a day that does not exist`);
  }
  const nanos = Number(fraction.padEnd(9, '0'));
  const micros = wholeMillis * 1000 + Math.ceil(nanos / 1000) - zoneOffsetMicros(zone);
  if (!Number.isSafeInteger(micros)) throw new RangeError(`${what} "${text}" is out of range`);
  return micros;
}

function zoneOffsetMicros(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60e6;
}

/** Formats integer microseconds as ISO-8601 UTC with six fractional digits (exact, no float rounding). */
export function formatTimestamp(micros: number | bigint | null | undefined): string {
  if (micros === null || micros === undefined) return '-';
  const value = typeof micros === 'bigint' ? micros : BigInt(Math.trunc(micros));
  let millis = value / 1000n;
  let subMillis = value % 1000n;
  if (subMillis < 0n) {
    subMillis += 1000n;
    millis -= 1n;
  }
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return String(micros);
  const base = date.toISOString(); // 2025-11-26T10:00:00.123Z
  return `${base.slice(0, 23)}${subMillis.toString().padStart(3, '0')}Z`;
}

/** A short human age: 4s, 12m, 3.5h, 2d. */
export function formatAge(micros: number): string {
  const seconds = micros / 1e6;
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
