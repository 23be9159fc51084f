/**
 * Coinbase time strings to integer microseconds since the epoch.
 *
 * JS `Date` keeps milliseconds only, and Coinbase sends up to nanoseconds
 * ("2023-02-09T20:19:35.39625135Z"), so the fraction is parsed by hand. Digits beyond the microsecond
 * are truncated: every Deepwater timestamp field is in microseconds.
 */

export class TimestampError extends RangeError {
  override readonly name = 'TimestampError';
}

const CHAR_0 = 48;
const CHAR_DOT = 46;
const CHAR_Z = 90;

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - CHAR_0;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

// Frames carry many times within the same second: remember the last second parsed.
let cachedPrefix = '';
let cachedMillis = 0;

/** Parses "YYYY-MM-DD?HH:MM:SS" at the start (`separator` between date and time); NaN when malformed. */
function dateTimeMillis(text: string, separator: string): number {
  if (cachedPrefix.length === 19 && text.startsWith(cachedPrefix)) return cachedMillis;
  const millis = parseDateTimeMillis(text, separator);
  if (!Number.isNaN(millis)) {
    cachedPrefix = text.slice(0, 19);
    cachedMillis = millis;
  }
  return millis;
}

function parseDateTimeMillis(text: string, separator: string): number {
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== separator || text[13] !== ':' || text[16] !== ':') {
    return Number.NaN;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

// Where the last fraction read by fractionMicros ended: a module slot instead of a returned pair,
// because a pair per timestamp was a measurable share of the ingest's garbage.
let fractionEnd = 0;

/** Reads an optional ".fraction" at `start`: microseconds (NaN if empty), its end in fractionEnd. */
function fractionMicros(text: string, start: number): number {
  fractionEnd = start;
  if (text.charCodeAt(start) !== CHAR_DOT) return 0;
  let i = start + 1;
  let micros = 0;
  let kept = 0;
  while (i < text.length) {
    const d = text.charCodeAt(i) - CHAR_0;
    if (d < 0 || d > 9) break;
    if (kept < 6) {
      micros = micros * 10 + d;
      kept++;
    }
    i++;
  }
  fractionEnd = i;
  if (i === start + 1) return Number.NaN;
  for (; kept < 6; kept++) micros *= 10;
  return micros;
}

function fail(field: string, text: unknown): never {
  throw new TimestampError(`field "${field}": ${JSON.stringify(text)} is not an ISO-8601 UTC time`);
}

/**
 * "2023-02-09T20:19:35.39625135Z" (or with "+00:00") → 1675973975396251 µs.
 * Throws TimestampError naming `field` on anything else.
 */
export function isoToMicros(text: string, field: string): number {
  if (typeof text !== 'string' || text.length < 20) fail(field, text);
  const millis = dateTimeMillis(text, 'T');
  const micros = fractionMicros(text, 19);
  const end = fractionEnd;
  const zoneOk =
    (end === text.length - 1 && text.charCodeAt(end) === CHAR_Z) ||
    (end === text.length - 6 && text.endsWith('+00:00'));
  if (Number.isNaN(millis) || Number.isNaN(micros) || !zoneOk) fail(field, text);
  return millis * 1000 + micros;
}

/**
 * The heartbeats channel's Go-formatted clock: "2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105"
 * → µs since the epoch. The monotonic "m=" suffix is ignored.
 */
export function heartbeatTimeToMicros(text: string, field: string): number {
  if (typeof text !== 'string' || text.length < 19) fail(field, text);
  const millis = dateTimeMillis(text, ' ');
  const micros = fractionMicros(text, 19);
  if (Number.isNaN(millis) || Number.isNaN(micros) || !text.startsWith(' +0000', fractionEnd))
    fail(field, text);
  return millis * 1000 + micros;
}

/** Microseconds → ISO-8601 with six fraction digits ("2023-02-09T20:19:35.396251Z"). */
export function microsToIso(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const fraction = String(micros - Math.floor(micros / 1e6) * 1e6).padStart(6, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}
