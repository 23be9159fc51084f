import type { Columns, FeedConfig } from '@deepwater/sdk';
import { isValueField } from './arrow-schema.js';

/**
 * CSV as Deepwater writes it: a header of field names, then one line per record. Integers (64-bit
 * ones exact), the time column as an integer in the feed's unit, floats in the shortest form that
 * reads back to the same value (NaN, Infinity, -0 spelled out), `char` as its one character.
 * Fields holding a comma, quote or line break are quoted.
 */
export function csvHeader(spec: FeedConfig): string {
  return `${spec.fields
    .filter(isValueField)
    .map((f) => quote(f.name))
    .join(',')}\n`;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function formatFloat(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** The lines of one columnar batch (64-bit integer columns as BigInt arrays). */
export function csvLines(spec: FeedConfig, columns: Columns): string {
  const fields = spec.fields.filter(isValueField);
  const cells = fields.map((field) => {
    const column = columns[field.name] as unknown as ArrayLike<number | bigint>;
    if (field.type === 'char') return (i: number) => quote(String.fromCharCode(column[i] as number));
    if (field.type === 'float32' || field.type === 'float64')
      return (i: number) => formatFloat(column[i] as number);
    return (i: number) => String(column[i]);
  });
  const length = (columns[fields[0].name] as unknown as { length: number }).length;
  const lines: string[] = new Array(length);
  for (let i = 0; i < length; i++) {
    let line = cells[0](i);
    for (let c = 1; c < cells.length; c++) line += `,${cells[c](i)}`;
    lines[i] = line;
  }
  return length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Cuts streamed CSV text into records (RFC 4180): a line break inside a quoted cell belongs to the
 * cell, so a record ends at the first line break after an even number of quotes (a quote inside a
 * quoted cell is doubled, which keeps the parity). Holds only the unfinished record between chunks.
 */
export class CsvRecordSplitter {
  #pending = '';
  /** Where the next line-break search starts in #pending (past what is already counted). */
  #scan = 0;
  /** Quotes seen so far in the unfinished record: odd means inside a quoted cell. */
  #quotes = 0;
  /** Physical lines before the unfinished record (1-based line numbers in errors). */
  #lines = 0;
  #recordLine = 1;

  /** Calls `onRecord(text, line)` for every record the chunk completes (line: its first line). */
  push(chunk: string, onRecord: (text: string, line: number) => void): void {
    const text = this.#pending.length === 0 ? chunk : this.#pending + chunk;
    let start = 0;
    let scan = this.#scan;
    let quotes = this.#quotes;
    for (;;) {
      const newline = text.indexOf('\n', scan);
      const stop = newline < 0 ? text.length : newline;
      for (let q = text.indexOf('"', scan); q >= 0 && q < stop; q = text.indexOf('"', q + 1)) quotes++;
      if (newline < 0) {
        scan = text.length;
        break;
      }
      this.#lines++;
      scan = newline + 1;
      if ((quotes & 1) === 0) {
        const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        onRecord(text.slice(start, end), this.#recordLine);
        start = scan;
        quotes = 0;
        this.#recordLine = this.#lines + 1;
      }
    }
    this.#pending = text.slice(start);
    this.#scan = scan - start;
    this.#quotes = quotes;
  }

  /** The last record when the text does not end with a line break; throws on an unclosed quote. */
  end(onRecord: (text: string, line: number) => void): void {
    const rest = this.#pending;
    this.#pending = '';
    if ((this.#quotes & 1) === 1)
      throw new SyntaxError(
        `line ${this.#recordLine}: a quoted cell is not closed before the end of the file`,
      );
    if (rest.length > 0) onRecord(rest.endsWith('\r') ? rest.slice(0, -1) : rest, this.#recordLine);
  }
}

/** Splits one CSV record into cells (RFC 4180 quoting; a quoted cell may hold line breaks). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new SyntaxError('a quoted cell is not closed');
  cells.push(cell);
  return cells;
}
