/** Number formatting for humans: every cell the dashboard prints goes through one of these. */

export const MISSING = '—';

const SI_STEPS: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** 1234 → '1.2 k', 1_200_000 → '1.2 M'; below 1000 the plain integer (or one decimal if fractional). */
export function formatCount(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  for (const [step, unit] of SI_STEPS) {
    if (abs >= step * 0.9995) return `${sign}${trimDecimal(abs / step)} ${unit}`;
  }
  // One decimal only where it matters (a feed at 1.4 rec/s), so a column does not read 18.0 next to 17.
  if (abs >= 10) return `${sign}${Math.round(abs)}`;
  return `${sign}${trimDecimal(abs)}`;
}

/** Decimal byte units (kB = 1000 B) so that MB/s lines up with what network tools print. */
export function formatBytes(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  if (value < 1000) return `${Math.round(value)} B`;
  for (const [step, unit] of SI_STEPS) {
    if (value >= step * 0.9995) return `${trimDecimal(value / step)} ${unit}B`;
  }
  return `${Math.round(value)} B`;
}

/** '35.4 MB/s' at market-data rates; slower feeds in kB/s or B/s rather than '0.0 MB/s'. */
export function formatByteRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond == null || !Number.isFinite(bytesPerSecond)) return MISSING;
  if (bytesPerSecond >= 999_950)
    return `${(bytesPerSecond / 1e6).toFixed(bytesPerSecond >= 1e8 ? 0 : 1)} MB/s`;
  if (bytesPerSecond >= 999.5) return `${trimDecimal(bytesPerSecond / 1e3)} kB/s`;
  return `${Math.round(bytesPerSecond)} B/s`;
}

export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond == null || !Number.isFinite(perSecond)) return MISSING;
  return `${formatCount(perSecond)}/s`;
}

/** A duration in µs: '850 µs', '3.2 ms', '3.2 s', '4 m 05 s', '2 h 10 m', '3 d 4 h'. */
export function formatDuration(us: number | null | undefined): string {
  if (us == null || !Number.isFinite(us)) return MISSING;
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  if (abs < 1000) return `${sign}${Math.round(abs)} µs`;
  if (abs < 1e6) return `${sign}${trimDecimal(abs / 1000)} ms`;
  const seconds = abs / 1e6;
  if (seconds < 60) return `${sign}${trimDecimal(seconds)} s`;
  const totalSeconds = Math.floor(seconds);
  if (totalSeconds < 3600) {
    return `${sign}${Math.floor(totalSeconds / 60)} m ${pad2(totalSeconds % 60)} s`;
  }
  if (totalSeconds < 86400) {
    return `${sign}${Math.floor(totalSeconds / 3600)} h ${pad2(Math.floor(totalSeconds / 60) % 60)} m`;
  }
  return `${sign}${Math.floor(totalSeconds / 86400)} d ${Math.floor(totalSeconds / 3600) % 24} h`;
}

/** An age in at most 8 cells for a table column: 'now' under a millisecond, whole days past 10 days. */
export function formatAgeShort(ageUs: number | null | undefined): string {
  if (ageUs == null || !Number.isFinite(ageUs)) return MISSING;
  if (ageUs < 1000) return 'now';
  if (ageUs >= 10 * 86400e6) return `${Math.floor(ageUs / 86400e6)} d`;
  return formatDuration(ageUs);
}

/** How long ago `thenUs` was, seen from `nowUs`: '3.2 s ago'. */
export function formatAge(thenUs: number | null | undefined, nowUs: number): string {
  if (thenUs == null || !Number.isFinite(thenUs)) return MISSING;
  const age = nowUs - thenUs;
  // A writer on the same machine can be a few µs ahead of our sample; that is "now", not the future.
  if (age < 1000) return 'now';
  return `${formatDuration(age)} ago`;
}

/** Timestamps print in UTC ('2025-11-26 10:12:03.123') so that every desk reads the same value. */
export function formatTimestamp(us: number | null | undefined): string {
  if (us == null || !Number.isFinite(us)) return MISSING;
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** The time of day only ('10:12:03'), for narrow columns. */
export function formatClock(us: number | null | undefined): string {
  if (us == null || !Number.isFinite(us)) return MISSING;
  return new Date(Math.floor(us / 1000)).toISOString().slice(11, 19);
}

export function formatRetention(hours: number | null | undefined): string {
  if (hours == null || !Number.isFinite(hours)) return MISSING;
  if (hours === 0) return 'forever';
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} d`;
  return `${trimDecimal(hours)} h`;
}

export function formatPercent(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return MISSING;
  return `${Math.round(fraction * 100)}%`;
}

/** Fits `text` into `width` cells: pads, or cuts with an ellipsis so a cut value never looks whole. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

function trimDecimal(value: number): string {
  const fixed = value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
