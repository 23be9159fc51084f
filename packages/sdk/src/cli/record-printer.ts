import { type FieldLabels, labelOf } from '../platform/field-labels.js';
import type { TimeUnit } from '../reader/time-bound.js';
import { type Cell, csvLine, type RowFormat, toJson } from './output.js';
import { formatTimestamp } from './timestamps.js';

/** The column (csv, table) or key (jsonl) --with-seq adds: a `$` cannot clash with a field name. */
export const SEQ_COLUMN = '$seq';

/**
 * Prints records page by page in table, CSV or JSON Lines. CSV and JSONL keep raw values (exact
 * 64-bit integers, timestamps in the feed's tsUnit) for machines; the table is for people: the timestamp column
 * is shown as ISO-8601 UTC, and column widths are fixed by the first page so a long dump streams.
 * A field with value labels (feed spec `labels`) shows the label instead of the number in every
 * format (JSONL: as a string); a value without a label stays a number.
 */
export class RecordPrinter {
  readonly #format: RowFormat;
  readonly #fields: readonly string[];
  readonly #tsIndex: number;
  readonly #write: (text: string) => void;
  readonly #unit: TimeUnit;
  #widths: number[] | null = null;
  #keys: string[] | null = null;
  /** Per field position, its labels (null: no field has any, records print as they are). */
  readonly #labels: (FieldLabels | undefined)[] | null;

  constructor(
    format: RowFormat,
    fields: readonly string[],
    tsCol: string,
    write: (text: string) => void,
    unit: TimeUnit = 'us',
    labels: ReadonlyMap<string, FieldLabels> = new Map(),
  ) {
    this.#labels = labels.size === 0 ? null : fields.map((f) => labels.get(f));
    this.#format = format;
    this.#unit = unit;
    this.#fields = fields;
    this.#tsIndex = fields.indexOf(tsCol);
    this.#write = write;
  }

  /** Prints one page of records (tuples in field order); the first non-empty page sizes the table. */
  print(page: readonly (readonly unknown[])[]): void {
    if (page.length === 0) return;
    const records = this.#labels === null ? page : page.map((r) => this.#labelled(r));
    let text = '';
    if (this.#format === 'csv') {
      if (this.#widths === null) text += csvLine(this.#fields);
      for (const r of records) text += csvLine(r as Cell[]);
    } else if (this.#format === 'jsonl') {
      for (const r of records) text += this.#jsonLine(r);
    } else {
      const rows = records.map((r) => this.#tableCells(r));
      if (this.#widths === null) {
        this.#widths = this.#fields.map((f, i) => Math.max(f.length, ...rows.map((row) => row[i].length)));
        text += this.#tableLine(this.#fields.slice());
      }
      for (const row of rows) text += this.#tableLine(row);
    }
    this.#widths ??= [];
    if (text) this.#write(text);
  }

  #labelled(record: readonly unknown[]): unknown[] {
    const labels = this.#labels!;
    return record.map((value, i) => (labels[i] === undefined ? value : labelOf(labels[i], value)));
  }

  /** Prints the header if no record was printed, so an empty result still names its columns. */
  end(): void {
    if (this.#widths !== null || this.#format === 'jsonl') return;
    this.#write(this.#format === 'csv' ? csvLine(this.#fields) : `${this.#fields.join('  ')}\n`);
    this.#widths = [];
  }

  /** One JSON object per record, built directly: ~4x faster than a replacer-based stringify. */
  #jsonLine(record: readonly unknown[]): string {
    this.#keys ??= this.#fields.map((f, i) => `${i === 0 ? '{' : ','}${JSON.stringify(f)}:`);
    let line = '';
    for (let i = 0; i < record.length; i++) line += this.#keys[i] + jsonValue(record[i]);
    return `${line}}\n`;
  }

  #tableCells(record: readonly unknown[]): string[] {
    return record.map((value, i) =>
      i === this.#tsIndex ? formatTimestamp(value as number | bigint, this.#unit) : String(value),
    );
  }

  #tableLine(cells: string[]): string {
    const widths = this.#widths ?? [];
    return `${cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? c.length)))
      .join('  ')
      .trimEnd()}\n`;
  }
}

function jsonValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `"${value}"`;
  return toJson(value ?? null);
}

/** The labelled fields of a record format, by name, for RecordPrinter. */
export function labelsByField(
  fields: readonly { name: string; labels?: FieldLabels }[],
): Map<string, FieldLabels> {
  return new Map(fields.flatMap((f) => (f.labels === undefined ? [] : [[f.name, f.labels] as const])));
}
