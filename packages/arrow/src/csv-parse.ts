import type { FeedConfig, FeedFieldSpec } from '@deepwater/sdk';
import { isValueField, type ValueType } from './arrow-schema.js';

/** A batch of parsed records: one typed array per value field, as writer.writeColumns takes them. */
export interface CsvBatch {
  columns: Record<string, ArrayBufferView>;
  length: number;
}

/** Reports a refused file: `message` names the line, column and value; never returns. */
export type CsvFail = (message: string, field?: string) => never;

const COMMA = 44;
const NEWLINE = 10;
const RETURN = 13;
const QUOTE = 34;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const TWO_32 = 0x100000000;
const TWO_31 = 0x80000000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** 10^0 … 10^22: every one an exact double (5^22 < 2^53). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO_53 = 2 ** 53;
/** The longest record: far beyond any feed's (a few dozen cells of a few dozen bytes). */
const MAX_RECORD_BYTES = 16 << 20;
/** Significant digits of 64-bit integers summed in one double (exact below 10^15). */
const HEAD_DIGITS = 15;

/** How a file column's cells are parsed (a small integer per column: a switch in the hot loop). */
const Kind = { Skip: 0, Integer: 1, Uint64: 2, Int64: 3, Float: 4, Char: 5 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const RANGES: Partial<Record<ValueType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

const TYPED_ARRAYS: Record<ValueType, new (n: number) => ArrayBufferView> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  uint64: BigUint64Array,
  int64: BigInt64Array,
  float32: Float32Array,
  float64: Float64Array,
  char: Uint8Array,
} as never;

const utf8 = new TextDecoder();

/**
 * A plain decimal cell's value, exactly as `Number(text)` reads it, or NaN when the cell is not a
 * plain decimal the fast path takes (then the caller gives the text to Number()). The cell is an
 * optional `-`, digits and at most one `.`, with fewer significant digits than 2^53: the digits
 * sum to an exact double D, 10^k (k <= 22) is exact, and IEEE division rounds correctly, so D / 10^k
 * is the correctly rounded value of the decimal, which is what Number() returns (Clinger's fast
 * path). The sum is exact while it stays below 2^53, and rounding is monotonic, so a sum >= 2^53
 * means the digits are too many and the cell goes the slow way.
 */
function fastDecimal(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  const negative = i < to && bytes[i] === MINUS;
  if (negative) i++;
  let digits = 0;
  let fraction = -1;
  let mantissa = 0;
  for (; i < to; i++) {
    const digit = bytes[i] - ZERO;
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digits++;
    } else if (bytes[i] === DOT && fraction < 0) {
      fraction = digits;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || (fraction >= 0 && digits - fraction > 22) || !(mantissa < TWO_53)) return Number.NaN;
  const value = fraction < 0 ? mantissa : mantissa / POW10[digits - fraction];
  return negative ? -value : value;
}

/** A float cell as `Number(text)` reads it (NaN for a blank cell, which Number() reads as 0). */
export function parseFloatCell(bytes: Uint8Array, from: number, to: number): number {
  const value = fastDecimal(bytes, from, to);
  return Number.isNaN(value) ? numberOfText(utf8.decode(bytes.subarray(from, to))) : value;
}

function numberOfText(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/**
 * Parses CSV bytes (RFC 4180: quoted cells with commas, line breaks and doubled quotes; LF or CRLF
 * line ends; a header row naming the columns) straight into typed arrays, a batch of `batchSize`
 * records at a time. The file is pushed in blocks; between blocks it holds only the unfinished
 * record. No string is made per cell except for the rare float that is not a plain decimal.
 * A cell that does not fit its field is refused through `fail` with its line, column and text.
 */
export class CsvColumnParser {
  readonly #fields: FeedFieldSpec[];
  readonly #batchSize: number;
  readonly #fail: CsvFail;
  readonly #feedName: string;
  /** Physical line (1-based) where the next record starts. */
  #line = 1;
  /** Per file column: its Kind, the field index it fills (-1: none), and its integer range. */
  #kinds: Kind[] = [];
  #targets: number[] = [];
  #lows: number[] = [];
  #highs: number[] = [];
  /** The file column each field is read from (for "missing value"): set by the header. */
  #columnOf: number[] | undefined;
  #lastColumn = -1;
  /** Per field: the batch so far, doubles for ≤ 32-bit and float fields, 32-bit words for 64-bit ones. */
  #doubles: Float64Array[] = [];
  #words: Uint32Array[] = [];
  #bigs: (BigInt64Array | BigUint64Array)[] = [];
  #count = 0;
  /**
   * The block being parsed, after the unfinished record of the previous one (its first #carried
   * bytes): one buffer for the whole file, grown only for a record longer than a block.
   */
  #working = new Uint8Array(0);
  #carried = 0;
  /** A quoted cell's text, unescaped. */
  #scratch = new Uint8Array(256);
  /** Line breaks inside quoted cells of the record being parsed. */
  #innerLines = 0;

  readonly #maxRecordBytes: number;

  /** `maxRecordBytes`: the longest record taken (a file with no line breaks is not read whole). */
  constructor(spec: FeedConfig, batchSize: number, fail: CsvFail, maxRecordBytes = MAX_RECORD_BYTES) {
    this.#maxRecordBytes = maxRecordBytes;
    this.#fields = spec.fields.filter(isValueField);
    this.#feedName = spec.feedName;
    this.#batchSize = batchSize;
    this.#fail = fail;
    this.#freshBatch();
  }

  /** Parses a block; full batches go to `out`. */
  push(block: Uint8Array, out: CsvBatch[]): void {
    const total = this.#carried + block.length;
    if (total > this.#working.length) {
      const grown = new Uint8Array(Math.max(total, this.#working.length * 2));
      grown.set(this.#working.subarray(0, this.#carried));
      this.#working = grown;
    }
    this.#working.set(block, this.#carried);
    const bytes = this.#working.subarray(0, total);
    this.#blockTextOf = undefined;
    const stop = this.#parse(bytes, false, out);
    this.#working.copyWithin(0, stop, total);
    this.#carried = total - stop;
    // An unfinished record is parsed again from its start with each block: bounded, so a file
    // without line breaks costs neither its size in memory nor a time quadratic in it.
    if (this.#carried > this.#maxRecordBytes) {
      this.#fail(
        `line ${this.#line}: a record is longer than ${this.#maxRecordBytes} bytes (is this a CSV file?)`,
      );
    }
  }

  /** The end of the file: the last record (no final line break needed) and the last batch go to `out`. */
  end(out: CsvBatch[]): void {
    this.#blockTextOf = undefined;
    if (this.#carried > 0) this.#parse(this.#working.subarray(0, this.#carried), true, out);
    this.#carried = 0;
    if (this.#columnOf === undefined) this.#fail('it is empty (no header line)');
    if (this.#count > 0) out.push(this.#emit());
  }

  /** Parses the whole records in `bytes` (all of them when `final`); returns where the rest starts. */
  #parse(bytes: Uint8Array, final: boolean, out: CsvBatch[]): number {
    const length = bytes.length;
    let at = 0;
    while (at < length) {
      // An empty line is no record.
      if (bytes[at] === NEWLINE) {
        at++;
        this.#line++;
        continue;
      }
      if (bytes[at] === RETURN && (at + 1 < length || final)) {
        if (at + 1 === length) return length;
        if (bytes[at + 1] === NEWLINE) {
          at += 2;
          this.#line++;
          continue;
        }
      }
      const next =
        this.#columnOf === undefined ? this.#header(bytes, at, final) : this.#record(bytes, at, final);
      if (next < 0) return at;
      at = next;
      this.#line += 1 + this.#innerLines;
      if (this.#count === this.#batchSize) out.push(this.#emit());
    }
    return length;
  }

  /**
   * The end of the cell starting at `at`: the index of the comma or line break after it, or
   * `length` at the end of the final block; -1 when the block ends first. Sets #cellBytes,
   * #cellFrom, #cellTo to the cell's text (unescaped into #scratch when quoted).
   */
  #cell(bytes: Uint8Array, at: number, final: boolean): number {
    const length = bytes.length;
    let i = at;
    while (i < length) {
      const b = bytes[i];
      if (b === COMMA || b === NEWLINE || b === QUOTE) break;
      i++;
    }
    if (i < length && bytes[i] === QUOTE) return this.#quotedCell(bytes, at, final);
    if (i === length && !final) return -1;
    this.#cellBytes = bytes;
    this.#cellFrom = at;
    // The CR of a CRLF (or of the file's last line) is the line end's, not the cell's.
    this.#cellTo = i > at && (i === length || bytes[i] === NEWLINE) && bytes[i - 1] === RETURN ? i - 1 : i;
    return i;
  }

  #cellBytes: Uint8Array = new Uint8Array(0);
  #cellFrom = 0;
  #cellTo = 0;

  /** A cell holding quotes: a quote opens or closes quoting, `""` inside quotes is one quote. */
  #quotedCell(bytes: Uint8Array, at: number, final: boolean): number {
    const length = bytes.length;
    let quoted = false;
    let written = 0;
    let lines = 0;
    /** The last byte written was a CR outside quotes (dropped if a line break ends the record). */
    let trailingReturn = false;
    let i = at;
    // A block that ends inside the cell returns -1 below and the record is parsed again from its
    // start with the next block, so a look-ahead past the block's end decides nothing.
    for (; i < length; i++) {
      const b = bytes[i];
      if (b === QUOTE) {
        if (quoted && bytes[i + 1] === QUOTE) {
          this.#put(written++, QUOTE);
          i++;
        } else {
          quoted = !quoted;
        }
        trailingReturn = false;
        continue;
      }
      if (!quoted && (b === COMMA || b === NEWLINE)) break;
      if (b === NEWLINE) lines++;
      this.#put(written++, b);
      trailingReturn = !quoted && b === RETURN;
    }
    if (i === length) {
      if (!final) return -1;
      if (quoted) {
        this.#fail(`line ${this.#line}: a quoted cell is not closed before the end of the file`);
      }
    }
    if (trailingReturn && (i === length || bytes[i] === NEWLINE)) written--;
    this.#innerLines += lines;
    this.#cellBytes = this.#scratch;
    this.#cellFrom = 0;
    this.#cellTo = written;
    return i;
  }

  #put(index: number, byte: number): void {
    if (index === this.#scratch.length) {
      const grown = new Uint8Array(this.#scratch.length * 2);
      grown.set(this.#scratch);
      this.#scratch = grown;
    }
    this.#scratch[index] = byte;
  }

  /** The header record: maps the feed's fields to the file's columns. */
  #header(bytes: Uint8Array, at: number, final: boolean): number {
    this.#innerLines = 0;
    const names: string[] = [];
    let i = at;
    for (;;) {
      i = this.#cell(bytes, i, final);
      if (i < 0) return -1;
      names.push(utf8.decode(this.#cellBytes.subarray(this.#cellFrom, this.#cellTo)));
      if (i === bytes.length || bytes[i] === NEWLINE) break;
      i++;
    }
    const columnOf = this.#fields.map((field) => {
      const column = names.indexOf(field.name);
      if (column < 0) {
        this.#fail(
          `its header has no column "${field.name}", a field of feed "${this.#feedName}"`,
          field.name,
        );
      }
      return column;
    });
    this.#kinds = names.map(() => Kind.Skip);
    this.#targets = names.map(() => -1);
    this.#lows = names.map(() => 0);
    this.#highs = names.map(() => 0);
    this.#fields.forEach((field, f) => {
      const column = columnOf[f];
      const type = field.type as ValueType;
      this.#targets[column] = f;
      this.#kinds[column] =
        type === 'uint64'
          ? Kind.Uint64
          : type === 'int64'
            ? Kind.Int64
            : type === 'float32' || type === 'float64'
              ? Kind.Float
              : type === 'char'
                ? Kind.Char
                : Kind.Integer;
      const range = RANGES[type];
      if (range !== undefined) [this.#lows[column], this.#highs[column]] = range;
    });
    this.#columnOf = columnOf;
    this.#lastColumn = Math.max(...columnOf);
    return i === bytes.length ? i : i + 1;
  }

  /** One data record into the batch; returns the index after it, or -1 when the block ends first. */
  #record(bytes: Uint8Array, at: number, final: boolean): number {
    this.#innerLines = 0;
    const kinds = this.#kinds;
    const columns = kinds.length;
    const length = bytes.length;
    let column = 0;
    let i = at;
    for (;;) {
      i = this.#cell(bytes, i, final);
      if (i < 0) return -1;
      if (column < columns && kinds[column] !== Kind.Skip) this.#store(column);
      column++;
      if (i === length || bytes[i] === NEWLINE) break;
      i++;
    }
    if (column <= this.#lastColumn) {
      const columnOf = this.#columnOf as number[];
      const f = columnOf.findIndex((c) => c >= column);
      this.#bad(f, 'missing value');
    }
    this.#count++;
    return i === length ? i : i + 1;
  }

  /** The current cell into the batch, as file column `column`'s field. */
  #store(column: number): void {
    const bytes = this.#cellBytes;
    const from = this.#cellFrom;
    const to = this.#cellTo;
    const f = this.#targets[column];
    const n = this.#count;
    switch (this.#kinds[column]) {
      case Kind.Float: {
        let value = fastDecimal(bytes, from, to);
        if (Number.isNaN(value)) value = numberOfText(this.#cellText(from, to));
        if (Number.isNaN(value) && !isNaNText(bytes, from, to))
          this.#bad(f, `${this.#quoted(from, to)} is not a number`);
        this.#doubles[f][n] = value;
        return;
      }
      case Kind.Integer: {
        let i = from;
        const negative = i < to && bytes[i] === MINUS;
        if (negative) i++;
        if (i === to) this.#bad(f, `${this.#quoted(from, to)} is not an integer`);
        let magnitude = 0;
        for (; i < to; i++) {
          const digit = bytes[i] - ZERO;
          if (digit < 0 || digit > 9) this.#bad(f, `${this.#quoted(from, to)} is not an integer`);
          magnitude = magnitude * 10 + digit;
        }
        const value = negative ? -magnitude : magnitude;
        if (value < this.#lows[column] || value > this.#highs[column]) {
          this.#bad(
            f,
            `${this.#text(from, to)} is out of range ${this.#lows[column]}..${this.#highs[column]}`,
          );
        }
        this.#doubles[f][n] = value;
        return;
      }
      case Kind.Char: {
        let code = -1;
        const b = bytes[from];
        if (to - from === 1 && b < 0x80) code = b;
        else if (to - from === 2 && (b === 0xc2 || b === 0xc3) && (bytes[from + 1] & 0xc0) === 0x80) {
          code = ((b & 0x1f) << 6) | (bytes[from + 1] & 0x3f);
        }
        if (code < 0) {
          this.#bad(f, `${this.#quoted(from, to)} is not one character with a code point <= 255`);
        }
        this.#doubles[f][n] = code;
        return;
      }
      default:
        this.#store64(f, bytes, from, to, this.#kinds[column] === Kind.Int64);
    }
  }

  /** A 64-bit integer cell, exact: digits summed in doubles below 2^53, carried into two 32-bit words. */
  #store64(f: number, bytes: Uint8Array, from: number, to: number, signed: boolean): void {
    let i = from;
    const negative = i < to && bytes[i] === MINUS;
    if (negative) i++;
    if (i === to) this.#bad(f, `${this.#quoted(from, to)} is not an integer`);
    while (i < to - 1 && bytes[i] === ZERO) i++;
    // One pass: up to 15 significant digits into `head` (exact), the rest into `tail`.
    const headEnd = Math.min(to, i + HEAD_DIGITS);
    let head = 0;
    let digitsOk = true;
    for (; i < headEnd; i++) {
      const digit = bytes[i] - ZERO;
      if (digit < 0 || digit > 9) digitsOk = false;
      head = head * 10 + digit;
    }
    let tail = 0;
    const tailDigits = to - i;
    for (; i < to; i++) {
      const digit = bytes[i] - ZERO;
      if (digit < 0 || digit > 9) digitsOk = false;
      tail = tail * 10 + digit;
    }
    if (!digitsOk) this.#bad(f, `${this.#quoted(from, to)} is not an integer`);
    if (tailDigits > 20 - HEAD_DIGITS) this.#bad(f, `${this.#text(from, to)} is out of range`);
    // value = head * 10^tailDigits + tail, in words: head < 2^50 splits into 18 + 32 bits, and
    // each product below stays under 2^53 (2^32 * 10^5 and 2^18 * 10^5).
    const headHigh = Math.floor(head / TWO_32);
    const headLow = head - headHigh * TWO_32;
    const scale = POW10[tailDigits];
    const lowSum = headLow * scale + tail;
    const carry = Math.floor(lowSum / TWO_32);
    let low = lowSum - carry * TWO_32;
    let high = headHigh * scale + carry;
    const tooLarge = signed
      ? negative
        ? high > TWO_31 || (high === TWO_31 && low > 0)
        : high >= TWO_31
      : high >= TWO_32 || (negative && (high > 0 || low > 0));
    if (tooLarge) this.#bad(f, `${this.#text(from, to)} is out of range`);
    if (negative && (high > 0 || low > 0)) {
      // Two's complement of the magnitude.
      if (low === 0) high = (TWO_32 - high) % TWO_32;
      else {
        low = TWO_32 - low;
        high = TWO_32 - 1 - high;
      }
    }
    const n = this.#count;
    if (LITTLE_ENDIAN) {
      const words = this.#words[f];
      words[2 * n] = low;
      words[2 * n + 1] = high;
    } else {
      const bits = (BigInt(high) << 32n) | BigInt(low);
      const big = this.#bigs[f];
      big[n] = signed ? BigInt.asIntN(64, bits) : bits;
    }
  }

  /**
   * The current cell's text for Number(). An ASCII cell of a block is sliced from the block's
   * Latin-1 string, made once per block when first needed: a TextDecoder call per cell costs
   * more than the Number() it feeds.
   */
  #cellText(from: number, to: number): string {
    const bytes = this.#cellBytes;
    if (bytes === this.#scratch) return this.#text(from, to);
    for (let i = from; i < to; i++) if (bytes[i] >= 0x80) return this.#text(from, to);
    if (this.#blockTextOf !== bytes) {
      this.#blockText = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
      this.#blockTextOf = bytes;
    }
    return this.#blockText.slice(from, to);
  }

  #blockText = '';
  #blockTextOf: Uint8Array | undefined;

  #text(from: number, to: number): string {
    return utf8.decode(this.#cellBytes.subarray(from, to));
  }

  #quoted(from: number, to: number): string {
    return JSON.stringify(this.#text(from, to));
  }

  #bad(f: number, why: string): never {
    const field = this.#fields[f];
    return this.#fail(`line ${this.#line}, column "${field.name}" (${field.type}): ${why}`, field.name);
  }

  /** Arrays for a new batch: doubles are reused (copied out per batch), 64-bit columns are fresh. */
  #freshBatch(): void {
    const size = this.#batchSize;
    this.#fields.forEach((field, f) => {
      const type = field.type as ValueType;
      if (type === 'uint64' || type === 'int64') {
        const big = type === 'uint64' ? new BigUint64Array(size) : new BigInt64Array(size);
        this.#bigs[f] = big;
        this.#words[f] = new Uint32Array(big.buffer, 0, size * 2);
        this.#doubles[f] ??= new Float64Array(0);
      } else {
        this.#doubles[f] ??= new Float64Array(size);
        this.#words[f] = new Uint32Array(0);
      }
    });
    this.#count = 0;
  }

  /** The batch so far, each column its field's typed array (the doubles converted natively by set()). */
  #emit(): CsvBatch {
    const n = this.#count;
    const columns: Record<string, ArrayBufferView> = {};
    this.#fields.forEach((field, f) => {
      const type = field.type as ValueType;
      if (type === 'uint64' || type === 'int64') {
        columns[field.name] = this.#bigs[f].subarray(0, n);
      } else {
        const column = new TYPED_ARRAYS[type](n) as Float64Array;
        column.set(this.#doubles[f].subarray(0, n));
        columns[field.name] = column;
      }
    });
    this.#freshBatch();
    return { columns, length: n };
  }
}

/** `NaN` exactly (the one text that Number() reads as NaN on purpose). */
function isNaNText(bytes: Uint8Array, from: number, to: number): boolean {
  return to - from === 3 && bytes[from] === 78 && bytes[from + 1] === 97 && bytes[from + 2] === 78;
}
