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

const FLOAT_SCALE = 10_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
/** The longest cell text: a 64-bit integer (20 digits and a sign) or a double's String() (24). */
const MAX_NUMBER_BYTES = 32;

/**
 * One batch's CSV text, written as bytes: numbers go straight to ASCII digits, so a batch makes
 * no string per cell (the string per cell, joined per line, was the export's time: mostly GC).
 */
class CsvBytes {
  bytes: Uint8Array;
  at = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }

  byte(code: number): void {
    this.bytes[this.at++] = code;
  }

  /** Text that is ASCII (a number's String()). */
  ascii(text: string): void {
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** Any text, as UTF-8. */
  text(value: string): void {
    this.reserve(value.length * 3);
    this.at += encoder.encodeInto(value, this.bytes.subarray(this.at)).written;
  }

  /** A non-negative safe integer's digits (what String() gives it). */
  unsigned(value: number): void {
    if (value < 0x80000000) {
      this.smallUnsigned(value | 0);
      return;
    }
    let high = Math.floor(value / 1e8);
    let low = value - high * 1e8;
    // The division rounds: correct the quotient by one if it did (all of this is exact below 2^53).
    if (low < 0) {
      high--;
      low += 1e8;
    } else if (low >= 1e8) {
      high++;
      low -= 1e8;
    }
    this.smallUnsigned(high);
    this.padded(low, 8);
  }

  /** `value` (0 <= value < 2^31) in as many digits as it needs. */
  private smallUnsigned(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
    this.padded(value, digits);
  }

  /** `value` (0 <= value < 2^31) in exactly `digits` digits, zeros in front. */
  private padded(value: number, digits: number): void {
    const bytes = this.bytes;
    let rest = value;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      const next = (rest / 10) | 0;
      bytes[i] = ZERO + rest - next * 10;
      rest = next;
    }
    this.at += digits;
  }

  /**
   * A float as String() prints it (the shortest text that reads back to it), -0 spelled out.
   * String() of a fraction runs the full shortest-digits search; a value with at most 4 decimals
   * and 15 significant digits is printed from integers instead, and the text is the same: a
   * decimal of 15 significant digits or fewer is the only one that short which reads back to its
   * double, so the shortest form cannot differ from it (checked against String() in the tests).
   */
  float(value: number): void {
    const scaled = value * FLOAT_SCALE;
    if (!Number.isInteger(scaled) || !(Math.abs(scaled) < 1e15) || scaled / FLOAT_SCALE !== value) {
      this.ascii(String(value));
      return;
    }
    if (scaled < 0 || Object.is(scaled, -0)) this.byte(MINUS);
    const magnitude = Math.abs(scaled);
    // Exact: below 1e15 the quotient is at least 1e-4 away from the next integer, far above an ulp.
    const whole = Math.trunc(magnitude / FLOAT_SCALE);
    this.unsigned(whole);
    let fraction = magnitude - whole * FLOAT_SCALE;
    if (fraction === 0) return;
    let digits = 4;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    this.byte(DOT);
    this.padded(fraction, digits);
  }

  /** A 64-bit integer from its little-endian words: exact below 2^53, through BigInt beyond. */
  int64(words: Uint32Array, i: number, signed: boolean, column: BigInt64Array | BigUint64Array): void {
    const low = words[2 * i];
    const top = signed ? words[2 * i + 1] | 0 : words[2 * i + 1];
    // |value| < 2^53 - 2^32: exact as a double (the edge itself goes the BigInt way).
    if (top < 0x1fffff && top >= -0x1fffff) {
      const value = top * 0x100000000 + low;
      if (value < 0) {
        this.byte(MINUS);
        this.unsigned(-value);
      } else {
        this.unsigned(value);
      }
    } else {
      this.ascii(String(column[i]));
    }
  }
}

const encoder = new TextEncoder();

/** How a column's cells are written (one small integer per column: a switch, not a closure). */
const CellKind = { Integer: 0, Float: 1, Int64: 2, Uint64: 3, Char: 4, BigText: 5 } as const;
const EMPTY_BIG = new BigUint64Array(0);
const EMPTY_WORDS = new Uint32Array(0);
const EMPTY_NUMBERS = new Float64Array(0);
type CellKind = (typeof CellKind)[keyof typeof CellKind];

/** The lines of one columnar batch (64-bit integer columns as BigInt arrays), as UTF-8 bytes. */
export function csvLines(spec: FeedConfig, columns: Columns): Uint8Array {
  const fields = spec.fields.filter(isValueField);
  const length = (columns[fields[0].name] as unknown as { length: number }).length;
  if (length === 0) return new Uint8Array(0);
  const kinds: CellKind[] = [];
  // One array type per kind, so each read below sees a single element type: 64-bit integers as
  // 32-bit word pairs (a BigInt per cell is what made them slow), every other column as doubles.
  const big: (BigInt64Array | BigUint64Array)[] = [];
  const words: Uint32Array[] = [];
  const numbers: Float64Array[] = [];
  for (const field of fields) {
    const column = columns[field.name] as unknown as ArrayLike<number | bigint>;
    if (column instanceof BigInt64Array || column instanceof BigUint64Array) {
      kinds.push(
        !LITTLE_ENDIAN
          ? CellKind.BigText
          : column instanceof BigInt64Array
            ? CellKind.Int64
            : CellKind.Uint64,
      );
      big.push(column);
      words.push(
        LITTLE_ENDIAN ? new Uint32Array(column.buffer, column.byteOffset, column.length * 2) : EMPTY_WORDS,
      );
      numbers.push(EMPTY_NUMBERS);
      continue;
    }
    if (field.type === 'char') kinds.push(CellKind.Char);
    else kinds.push(field.type === 'float32' || field.type === 'float64' ? CellKind.Float : CellKind.Integer);
    big.push(EMPTY_BIG);
    words.push(EMPTY_WORDS);
    numbers.push(column instanceof Float64Array ? column : Float64Array.from(column as ArrayLike<number>));
  }
  const out = new CsvBytes(length * (fields.length * 12 + 1));
  const lineBytes = fields.length * (MAX_NUMBER_BYTES + 1) + 1;
  const count = fields.length;
  for (let i = 0; i < length; i++) {
    out.reserve(lineBytes);
    for (let c = 0; c < count; c++) {
      if (c > 0) out.byte(COMMA);
      switch (kinds[c]) {
        case CellKind.Float:
          out.float(numbers[c][i]);
          break;
        case CellKind.Int64:
          out.int64(words[c], i, true, big[c]);
          break;
        case CellKind.Uint64:
          out.int64(words[c], i, false, big[c]);
          break;
        case CellKind.BigText:
          out.ascii(String(big[c][i]));
          break;
        case CellKind.Char:
          out.text(quote(String.fromCharCode(numbers[c][i])));
          out.reserve(lineBytes);
          break;
        default: {
          const value = numbers[c][i];
          if (!Number.isSafeInteger(value)) out.ascii(String(value));
          else if (value < 0) {
            out.byte(MINUS);
            out.unsigned(-value);
          } else {
            out.unsigned(value);
          }
        }
      }
    }
    out.byte(NEWLINE);
  }
  return out.bytes.subarray(0, out.at);
}
