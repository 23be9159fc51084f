import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import type { FieldLayout, FieldType, RecordLayout } from '@deepwater/schema-wasm';
import {
  copyOrderedAvailable,
  copyRecordsOrdered,
  type ScatterField,
  scatterAvailable,
  scatterFields,
} from '@deepwater/storage-native';
import type { FeedContext } from '../platform/feed-context.js';

/** writeColumns' input: one typed array per field, all of the same length. */
export type ColumnInput = Readonly<Record<string, ArrayBufferView>>;

/**
 * Whole records of a bulk write (writeRaw or writeColumns), validated: `fill` copies records
 * [from, from + count) to `dst` at `dstOffset`, one every `dstStride` bytes (a chunk's records are
 * back to back; a ring's slots are wider than a record).
 */
export interface BulkSource {
  readonly count: number;
  /** Exact first and last timestamps (meaningless when count is 0). */
  readonly firstTs: bigint;
  readonly lastTs: bigint;
  fill(dst: Uint8Array, dstOffset: number, dstStride: number, from: number, count: number): void;
  /**
   * Set when the order within the call is not checked yet (rawSource with room for every record):
   * copies all `count` records back to back to `dst` at `dstOffset` and checks their order in the
   * same pass. On a decrease the part it copied is zeroed (the caller's bytes past its published
   * records carry nothing) and it throws the RangeError the upfront check would have thrown. `fill`
   * must not be used then.
   */
  fillAllChecked?(dst: Uint8Array, dstOffset: number): void;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

/** The typed array each field type takes in writeColumns (64-bit integers also as Float64Array). */
const COLUMN_TYPES: Readonly<Record<FieldType, string>> = {
  uint8: 'Uint8Array',
  int8: 'Int8Array',
  uint16: 'Uint16Array',
  int16: 'Int16Array',
  uint32: 'Uint32Array',
  int32: 'Int32Array',
  uint64: 'BigUint64Array',
  int64: 'BigInt64Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
  char: 'Uint8Array',
};

function typeError(ctx: FeedContext, message: string, field?: string): TypeError {
  return new DeepwaterTypeError(`Feed "${ctx.feedName}": ${message}; nothing was written`, {
    feed: ctx.feedName,
    ...(field === undefined ? {} : { field }),
  });
}

function rangeError(ctx: FeedContext, message: string, field?: string, row?: number): RangeError {
  const error = new DeepwaterRangeError(`Feed "${ctx.feedName}": ${message}; nothing was written`, {
    feed: ctx.feedName,
    ...(field === undefined ? {} : { field }),
  });
  if (row !== undefined) Object.assign(error, { row });
  return error;
}

function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/**
 * Timestamps as 32-bit halves, read without a BigInt per record: word `lo(i)` and `hi(i)` of
 * record i (hi signed for int64 feeds). Records whose timestamps are not 4-byte aligned in their
 * buffer are read through a DataView.
 */
interface TimestampWords {
  lo(i: number): number;
  hi(i: number): number;
  /** Set when the words can be read in place: record i's are lo[i * stride] and hi[i * stride + 1]. */
  aligned?: { lo: Uint32Array; hi: Int32Array | Uint32Array; stride: number };
}

function timestampWords(
  bytes: Uint8Array,
  firstOffset: number,
  stride: number,
  count: number,
  signed: boolean,
): TimestampWords {
  const absolute = bytes.byteOffset + firstOffset;
  if (LITTLE_ENDIAN_HOST && absolute % 4 === 0 && stride % 4 === 0 && count > 0) {
    const words = stride / 4;
    const length = (stride * (count - 1)) / 4 + 2;
    const u = new Uint32Array(bytes.buffer, absolute, length);
    const s = signed ? new Int32Array(bytes.buffer, absolute, length) : u;
    return { lo: (i) => u[i * words], hi: (i) => s[i * words + 1], aligned: { lo: u, hi: s, stride: words } };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    lo: (i) => view.getUint32(firstOffset + i * stride, true),
    hi: (i) =>
      signed
        ? view.getInt32(firstOffset + i * stride + 4, true)
        : view.getUint32(firstOffset + i * stride + 4, true),
  };
}

function exactOf(words: TimestampWords, i: number): bigint {
  return (BigInt(words.hi(i)) << 32n) | BigInt(words.lo(i));
}

/** First record whose timestamp is below the one before it, or -1: no BigInt in the loop. */
function firstDecrease(words: TimestampWords, count: number): number {
  if (words.aligned !== undefined) {
    const { lo, hi, stride } = words.aligned;
    return firstDecreaseAligned(lo, hi, stride, count);
  }
  let previousHi = count > 0 ? words.hi(0) : 0;
  let previousLo = count > 0 ? words.lo(0) : 0;
  for (let i = 1; i < count; i++) {
    const hi = words.hi(i);
    const lo = words.lo(i);
    if (hi < previousHi || (hi === previousHi && lo < previousLo)) return i;
    previousHi = hi;
    previousLo = lo;
  }
  return -1;
}

/** The same over 32-bit words read in place: one plain loop, ~1 ns a record (no calls per record). */
function firstDecreaseAligned(
  lo: Uint32Array,
  hi: Int32Array | Uint32Array,
  stride: number,
  count: number,
): number {
  let previousHi = hi[1];
  let previousLo = lo[0];
  for (let i = 1, w = stride; i < count; i++, w += stride) {
    const h = hi[w + 1];
    const l = lo[w];
    if (h < previousHi || (h === previousHi && l < previousLo)) return i;
    previousHi = h;
    previousLo = l;
  }
  return -1;
}

function checkOrderWithin(ctx: FeedContext, words: TimestampWords, count: number): void {
  const at = firstDecrease(words, count);
  if (at >= 0) throw decreaseError(ctx, words, at);
}

function decreaseError(ctx: FeedContext, words: TimestampWords, at: number): RangeError {
  return rangeError(
    ctx,
    `field "${ctx.layout.tsCol}" must be non-decreasing, got ${exactOf(words, at)} after ${exactOf(words, at - 1)} (record ${at})`,
    ctx.layout.tsCol,
    at,
  );
}

/**
 * writeRaw's input: whole records in the feed's layout; only the timestamp order is checked.
 * `fusedRoom`: how many records the caller can copy back to back in one piece (the disk writer's
 * room left in its chunk). When every record fits and the addon has copyRecordsOrdered, the order
 * check is left to `fillAllChecked`, which copies and checks in one pass; otherwise it runs here,
 * before anything is copied.
 */
export function rawSource(ctx: FeedContext, bytes: unknown, fusedRoom = 0): BulkSource {
  const size = ctx.layout.recordSize;
  if (!(bytes instanceof Uint8Array)) {
    throw typeError(ctx, `writeRaw expects a Uint8Array of whole records, got ${typeNameOf(bytes)}`);
  }
  if (bytes.byteLength % size !== 0) {
    throw rangeError(
      ctx,
      `writeRaw needs whole ${size}-byte records, got ${bytes.byteLength} bytes (${bytes.byteLength % size} past the last whole record)`,
    );
  }
  const count = bytes.byteLength / size;
  const signed = ctx.layout.tsType === 'int64';
  const words = timestampWords(bytes, ctx.layout.tsOffset, size, count, signed);
  const fused = copyOrderedAvailable && count > 1 && count <= fusedRoom;
  if (!fused) checkOrderWithin(ctx, words, count);
  const source: BulkSource = {
    count,
    firstTs: count > 0 ? exactOf(words, 0) : 0n,
    lastTs: count > 0 ? exactOf(words, count - 1) : 0n,
    fill(dst, dstOffset, dstStride, from, n) {
      if (dstStride === size) {
        dst.set(bytes.subarray(from * size, (from + n) * size), dstOffset);
        return;
      }
      for (let i = 0; i < n; i++) {
        dst.set(bytes.subarray((from + i) * size, (from + i + 1) * size), dstOffset + i * dstStride);
      }
    },
  };
  if (!fused) return source;
  return {
    ...source,
    fillAllChecked(dst, dstOffset) {
      const at = copyRecordsOrdered(dst, dstOffset, bytes, 0, count, size, ctx.layout.tsOffset, signed);
      if (at < 0) return;
      // Records [0, at) were copied past the published ones: zero them (never published, but a
      // refused call leaves none of its bytes behind), then refuse it as the upfront check would.
      dst.fill(0, dstOffset, dstOffset + at * size);
      throw decreaseError(ctx, words, at);
    },
  };
}

/** Copies one column into records: `into(dst, dstOffset, dstStride, from, count)`. */
type ColumnCopy = (
  dst: Uint8Array,
  dstOffset: number,
  dstStride: number,
  from: number,
  count: number,
) => void;

const WORD_ARRAYS = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array } as const;

/**
 * A column copied bit for bit, in words of up to 4 bytes (8-byte values as two words: no float
 * canonicalises a NaN payload and no BigInt is made) when source and destination are aligned to
 * the word, else byte by byte. Little-endian hosts only (the feed's byte order is the host's).
 */
function bitCopy(field: FieldLayout, column: ArrayBufferView): ColumnCopy {
  const size = field.size;
  const word = Math.min(size, 4) as 1 | 2 | 4;
  const perValue = size / word;
  const Words = WORD_ARRAYS[word];
  const source = new Words(column.buffer as ArrayBuffer, column.byteOffset, column.byteLength / word);
  const sourceBytes = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
  return (dst, dstOffset, dstStride, from, count) => {
    const first = dst.byteOffset + dstOffset + field.offset;
    if (first % word === 0 && dstStride % word === 0) {
      const stride = dstStride / word;
      const target = new Words(
        dst.buffer as ArrayBuffer,
        first,
        count === 0 ? 0 : stride * (count - 1) + perValue,
      );
      if (perValue === 1) {
        for (let i = 0, s = from, t = 0; i < count; i++, s++, t += stride) target[t] = source[s];
      } else {
        for (let i = 0, s = from * 2, t = 0; i < count; i++, s += 2, t += stride) {
          target[t] = source[s];
          target[t + 1] = source[s + 1];
        }
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      const t = dstOffset + field.offset + i * dstStride;
      const s = (from + i) * size;
      for (let b = 0; b < size; b++) dst[t + b] = sourceBytes[s + b];
    }
  };
}

/** A 64-bit integer field given as a Float64Array (what a columnar read returns): safe integers only. */
function checkSafeIntegers(ctx: FeedContext, field: FieldLayout, column: Float64Array): void {
  const signed = field.type === 'int64';
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (!Number.isSafeInteger(v) || (!signed && v < 0)) {
      throw rangeError(
        ctx,
        `field "${field.name}" (${field.type}) given as a Float64Array must hold ${signed ? '' : 'non-negative '}safe integers, got ${v} at record ${i}; pass a ${COLUMN_TYPES[field.type]} for values beyond 2^53`,
        field.name,
        i,
      );
    }
  }
}

/** The native scatter's entry for a column: its bytes as they are, or a checked double converted. */
function scatterFieldOf(field: FieldLayout, column: ArrayBufferView, int64AsFloat: boolean): ScatterField {
  if (int64AsFloat) {
    const kind = field.type === 'int64' ? 'float64ToInt64' : 'float64ToUint64';
    return { offset: field.offset, kind, source: column };
  }
  const kind = `copy${field.size}` as 'copy1' | 'copy2' | 'copy4' | 'copy8';
  return { offset: field.offset, kind, source: column };
}

/** Hosts without the native scatter: a checked Float64Array column as 64-bit integers. */
function float64ToInt64(field: FieldLayout, column: Float64Array): ColumnCopy {
  return (dst, dstOffset, dstStride, from, count) => {
    const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    for (let i = 0; i < count; i++) {
      const v = column[from + i];
      const hi = Math.floor(v / TWO_32);
      const at = dstOffset + field.offset + i * dstStride;
      view.setUint32(at, v - hi * TWO_32, true);
      view.setInt32(at + 4, hi, true);
    }
  };
}

/** Big-endian hosts: each value through a DataView setter (the feed is little-endian). */
function viewCopy(field: FieldLayout, column: ArrayBufferView): ColumnCopy {
  const values = column as unknown as ArrayLike<number | bigint>;
  const setter = {
    uint8: 'setUint8',
    char: 'setUint8',
    int8: 'setInt8',
    uint16: 'setUint16',
    int16: 'setInt16',
    uint32: 'setUint32',
    int32: 'setInt32',
    uint64: 'setBigUint64',
    int64: 'setBigInt64',
    float32: 'setFloat32',
    float64: 'setFloat64',
  }[field.type] as 'setFloat64';
  return (dst, dstOffset, dstStride, from, count) => {
    const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    for (let i = 0; i < count; i++)
      view[setter](dstOffset + field.offset + i * dstStride, values[from + i] as number, true);
  };
}

/** Timestamps of a timestamp column given as a Float64Array of safe integers. */
function float64Words(column: Float64Array): TimestampWords {
  return {
    lo: (i) => column[i] - Math.floor(column[i] / TWO_32) * TWO_32,
    hi: (i) => Math.floor(column[i] / TWO_32),
  };
}

/**
 * writeColumns' input, validated: every field present with the typed array of its type (64-bit
 * integers also as a Float64Array of safe integers), no unknown column, equal lengths, timestamps
 * non-decreasing. Padding bytes are written as zeros.
 */
export function columnSource(ctx: FeedContext, columns: unknown): BulkSource {
  const layout: RecordLayout = ctx.layout;
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
    throw typeError(
      ctx,
      `writeColumns expects an object of typed arrays keyed by field name, got ${typeNameOf(columns)}`,
    );
  }
  const input = columns as Record<string, unknown>;
  const names = new Set(layout.fields.map((f) => f.name));
  for (const key of Object.keys(input)) {
    if (!names.has(key)) {
      throw typeError(
        ctx,
        `writeColumns got a column "${key}" that is not a field of the feed (fields: ${[...names].join(', ')})`,
        key,
      );
    }
  }
  let count = -1;
  let lengthFrom = '';
  const copies: ColumnCopy[] = [];
  // Where the addon has it, one native pass moves every column (block by block, in cache).
  const scatter: ScatterField[] | undefined = scatterAvailable ? [] : undefined;
  let words: TimestampWords | undefined;
  for (const field of layout.fields) {
    const column = input[field.name];
    if (column === undefined) {
      throw typeError(ctx, `writeColumns is missing the column of field "${field.name}"`, field.name);
    }
    const expected = COLUMN_TYPES[field.type];
    const got = typeNameOf(column);
    const int64AsFloat =
      (field.type === 'uint64' || field.type === 'int64') && column instanceof Float64Array;
    if (got !== expected && !int64AsFloat) {
      throw typeError(
        ctx,
        `writeColumns column "${field.name}" (${field.type}) must be a ${expected}${field.type.endsWith('64') && field.type !== 'float64' ? ' (or a Float64Array of safe integers)' : ''}, got ${got}`,
        field.name,
      );
    }
    const length = (column as { length: number }).length;
    if (count < 0) {
      count = length;
      lengthFrom = field.name;
    } else if (length !== count) {
      throw rangeError(
        ctx,
        `writeColumns columns must have equal lengths: "${field.name}" has ${length}, "${lengthFrom}" has ${count}`,
        field.name,
      );
    }
    const view = column as ArrayBufferView;
    if (int64AsFloat) checkSafeIntegers(ctx, field, column as Float64Array);
    if (scatter !== undefined) scatter.push(scatterFieldOf(field, view, int64AsFloat));
    else if (int64AsFloat) copies.push(float64ToInt64(field, column as Float64Array));
    else copies.push(LITTLE_ENDIAN_HOST ? bitCopy(field, view) : viewCopy(field, view));
    if (field.name === layout.tsCol) {
      words = int64AsFloat
        ? float64Words(column as Float64Array)
        : timestampWords(
            new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
            0,
            8,
            length,
            field.type === 'int64',
          );
    }
  }
  const ts = words as TimestampWords;
  checkOrderWithin(ctx, ts, count);
  const padding = layout.padding;
  return {
    count,
    firstTs: count > 0 ? exactOf(ts, 0) : 0n,
    lastTs: count > 0 ? exactOf(ts, count - 1) : 0n,
    fill(dst, dstOffset, dstStride, from, n) {
      if (scatter !== undefined) {
        // Every double was checked above: only a column in shared memory that another thread
        // changed after the checks can be refused here.
        const refused = scatterFields(dst, dstOffset, dstStride, n, scatter, from);
        if (refused >= 0) {
          throw new DeepwaterRangeError(
            `Feed "${ctx.feedName}": writeColumns: record ${from + refused} of a 64-bit column stopped being a safe integer while it was written (a column in shared memory changed by another thread?)`,
            { feed: ctx.feedName },
          );
        }
      }
      for (const copy of copies) copy(dst, dstOffset, dstStride, from, n);
      for (const pad of padding) {
        for (let i = 0; i < n; i++) {
          const at = dstOffset + i * dstStride + pad.offset;
          dst.fill(0, at, at + pad.size);
        }
      }
    },
  };
}

/**
 * The first record of a bulk write against the writer's last one: refused when it is earlier.
 * `lastTs` is the last timestamp rounded to a double; `lastExact` reads it exactly (asked only on
 * a tie beyond 2^53, where the rounded values cannot tell).
 */
export function checkOrderAfter(
  ctx: FeedContext,
  source: BulkSource,
  lastTs: number,
  lastExact: () => bigint | undefined,
): void {
  if (source.count === 0) return;
  const first = Number(source.firstTs);
  if (first > lastTs) return;
  const tie = first === lastTs && !Number.isSafeInteger(first);
  if (first === lastTs && !tie) return;
  // A decrease, or a tie of rounded values beyond 2^53 settled exactly; the message names the exact value.
  const previous = lastExact();
  if (tie && (previous === undefined || source.firstTs >= previous)) return;
  throw rangeError(
    ctx,
    `field "${ctx.layout.tsCol}" must be non-decreasing, got ${source.firstTs} after ${previous ?? lastTs} (record 0)`,
    ctx.layout.tsCol,
    0,
  );
}
