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

/** Splits one CSV line into cells (RFC 4180 quoting; a quoted cell may not span lines here). */
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
  if (quoted) throw new SyntaxError('a quoted cell is not closed on its line');
  cells.push(cell);
  return cells;
}
