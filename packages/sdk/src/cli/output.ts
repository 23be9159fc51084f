import { DeepwaterRangeError } from '@deepwater/errors';
import type { CliOutput } from './io.js';

/** A value a command prints: numbers, bigints (exact 64-bit integers), strings, booleans, null. */
export type Cell = string | number | bigint | boolean | null | undefined;

export type RowFormat = 'table' | 'csv' | 'jsonl';
export const ROW_FORMATS: readonly RowFormat[] = ['table', 'csv', 'jsonl'];

/**
 * JSON with exact 64-bit integers: a bigint is written as a bare JSON number, never rounded through
 * a double, so `jq` and Python see the value the writer stored.
 */
export function toJson(value: unknown, indent?: number): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v === 'bigint') {
        marks.push(v.toString());
        return `\u0000bigint${marks.length - 1}\u0000`;
      }
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // NaN/Infinity are not JSON
      return v;
    },
    indent,
  );
  // JSON.stringify escapes the NUL marks, so match their escaped spelling.
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, i) => marks[Number(i)]);
}

export function writeJson(out: CliOutput, value: unknown): void {
  out.write(`${toJson(value, 2)}\n`);
}

function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** An aligned plain-text table; numeric-looking columns align right so digits line up. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const texts = rows.map((row) => headers.map((_h, i) => cellText(row[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...texts.map((r) => r[i].length)));
  const numeric = headers.map((_h, i) =>
    rows.some((r) => r[i] !== null && r[i] !== undefined && r[i] !== '')
      ? rows.every((r) => ['number', 'bigint'].includes(typeof r[i]) || r[i] === null || r[i] === undefined)
      : false,
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...texts.map(line)].join('\n') + '\n';
}

/** RFC 4180 quoting: a field with a comma, quote or newline is quoted, quotes doubled. */
export function csvField(value: Cell): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',') + '\n';
}

export function parseRowFormat(text: string): RowFormat {
  if ((ROW_FORMATS as readonly string[]).includes(text)) return text as RowFormat;
  throw new DeepwaterRangeError(`--format "${text}" is not one of ${ROW_FORMATS.join(', ')}`);
}

/** Formats a byte count the way `df -h` does (binary units). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
