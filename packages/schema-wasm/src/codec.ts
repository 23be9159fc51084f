import { type CodecErrors, createCodecErrors, describeValue } from './codec-errors.js';
import { generateCodecSource } from './codec-source.js';
import { compileLayout } from './compile-layout.js';
import { SchemaError, sentence, type ValueError, valueError } from './errors.js';
import type { FieldSpec, RecordLayout } from './layout-types.js';

export type Int64Mode = 'number' | 'bigint';

type Row = ArrayLike<unknown> | Readonly<Record<string, unknown>>;

export interface EncodeBatchOptions {
  /** The feed's previous timestamp: every row's timestamp must be >= it and >= the row before. */
  minTimestamp?: number;
}

/**
 * Specialised reader/writer for one record layout. Stateless apart from its layout, so one
 * codec may serve any number of writers and readers in the process.
 */
export interface RecordCodec {
  readonly layout: RecordLayout;
  readonly fieldNames: readonly string[];
  /** Throws (naming feed/field/value) without writing if invalid; returns the record's timestamp as a number. */
  validateTuple(values: ArrayLike<unknown>): number;
  validateObject(record: Readonly<Record<string, unknown>>): number;
  /** Validate + write one record at view[byteOffset]. Returns the record's timestamp (number). */
  encodeTuple(view: DataView, byteOffset: number, values: ArrayLike<unknown>): number;
  encodeObject(view: DataView, byteOffset: number, record: Readonly<Record<string, unknown>>): number;
  /** Write without validation (caller validated the whole batch first). */
  encodeTupleUnchecked(view: DataView, byteOffset: number, values: ArrayLike<unknown>): void;
  encodeObjectUnchecked(view: DataView, byteOffset: number, record: Readonly<Record<string, unknown>>): void;
  /** Validates every row (tuples or objects, mixed) and timestamp order, then writes them back to back. Returns the last timestamp (minTimestamp, or NaN, when rows is empty). */
  encodeBatch(view: DataView, byteOffset: number, rows: readonly Row[], options?: EncodeBatchOptions): number;
  readTimestamp(view: DataView, byteOffset: number): number;
  decodeTuple(view: DataView, byteOffset: number, int64: Int64Mode): unknown[];
  decodeObject(view: DataView, byteOffset: number, int64: Int64Mode): Record<string, unknown>;
  /** Columns for `count` records starting at view[byteOffset]: one typed array per field. */
  decodeColumns(
    view: DataView,
    byteOffset: number,
    count: number,
    int64: Int64Mode,
  ): Record<string, ArrayBufferView>;
  /**
   * Batch decoding of a run of `count` records at view[byteOffset], in one specialised loop:
   * appends each record to `out` from index `at` and returns the index after the last one.
   * Reads through typed arrays when the layout and run are naturally aligned and the run holds 16
   * records or more (TYPED_RUN_MIN), else through the DataView. Throws (naming the field) on an
   * unsafe int64 in 'number' mode; `out` may then hold part of the run.
   */
  decodeTuples(
    view: DataView,
    byteOffset: number,
    count: number,
    int64: Int64Mode,
    out: unknown[],
    at: number,
  ): number;
  decodeObjects(
    view: DataView,
    byteOffset: number,
    count: number,
    int64: Int64Mode,
    out: Record<string, unknown>[],
    at: number,
  ): number;
  /**
   * Zero-filled columns (one typed array per field, as decodeColumns returns) for `count` records.
   * With `allocate`, every column is carved out of the one zero-filled ArrayBuffer it returns for
   * the byte length asked (each column 8-byte aligned) — e.g. memory populated up front for a
   * large replay.
   */
  allocateColumns(
    count: number,
    int64: Int64Mode,
    allocate?: (byteLength: number) => ArrayBuffer,
  ): Record<string, ArrayBufferView>;
  /**
   * Decodes `count` records at view[byteOffset] into `columns` (from allocateColumns with the
   * same int64 mode) at rows [at, at + count), one strided loop per column. Returns at + count.
   */
  decodeColumnsInto(
    view: DataView,
    byteOffset: number,
    count: number,
    int64: Int64Mode,
    columns: Record<string, ArrayBufferView>,
    at: number,
  ): number;
}

export interface CreateCodecOptions {
  /** Named in error messages. */
  feedName?: string;
}

interface GeneratedCodec {
  validateTuple(values: ArrayLike<unknown>): number;
  validateObject(record: object): number;
  encodeTuple(view: DataView, o: number, values: ArrayLike<unknown>): number;
  encodeObject(view: DataView, o: number, record: object): number;
  encodeTupleUnchecked(view: DataView, o: number, values: ArrayLike<unknown>): void;
  encodeObjectUnchecked(view: DataView, o: number, record: object): void;
  readTimestamp(view: DataView, o: number): number;
  decodeTupleNumber(view: DataView, o: number): unknown[];
  decodeTupleBigint(view: DataView, o: number): unknown[];
  decodeObjectNumber(view: DataView, o: number): Record<string, unknown>;
  decodeObjectBigint(view: DataView, o: number): Record<string, unknown>;
  decodeColumnsNumber(view: DataView, o: number, count: number): Record<string, ArrayBufferView>;
  decodeColumnsBigint(view: DataView, o: number, count: number): Record<string, ArrayBufferView>;
  decodeTuplesNumber(view: DataView, o: number, count: number, out: unknown[], k: number): number;
  decodeTuplesBigint(view: DataView, o: number, count: number, out: unknown[], k: number): number;
  decodeObjectsNumber(view: DataView, o: number, count: number, out: object[], k: number): number;
  decodeObjectsBigint(view: DataView, o: number, count: number, out: object[], k: number): number;
  newColumnsNumber(count: number): Record<string, ArrayBufferView>;
  newColumnsBigint(count: number): Record<string, ArrayBufferView>;
  fillColumnsNumber(view: DataView, o: number, count: number, columns: object, k: number): number;
  fillColumnsBigint(view: DataView, o: number, count: number, columns: object, k: number): number;
}

type CodecFactory = (errors: CodecErrors) => GeneratedCodec;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Generated code depends only on the layout, so feeds with equal layouts share one compiled factory.
const factories = new Map<string, CodecFactory>();

function factoryFor(layout: RecordLayout): CodecFactory {
  const key = `${layout.fmt}|${layout.fields.map((f) => f.name).join(',')}|${layout.tsIndex}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    factory = new Function('h', generateCodecSource(layout, LITTLE_ENDIAN_HOST)) as CodecFactory;
    factories.set(key, factory);
  }
  return factory;
}

/**
 * Recompiles a caller-supplied layout from its own fields and padding, so a codec is never
 * built from a layout that schema.wasm would not produce (e.g. one edited or read from disk).
 */
function verifiedLayout(layout: RecordLayout, feed: string | undefined): RecordLayout {
  if (layout === null || typeof layout !== 'object' || !Array.isArray(layout.fields)) {
    throw new SchemaError(sentence(feed, 'createCodec needs a RecordLayout from compileLayout()'), { feed });
  }
  const pieces: { offset: number; spec: FieldSpec }[] = [
    ...layout.fields.map((f) => ({ offset: f.offset, spec: { name: f.name, type: f.type, desc: f.desc } })),
    ...(layout.padding ?? []).map((p) => ({ offset: p.offset, spec: { name: '', type: `_${p.size}` } })),
  ];
  pieces.sort((a, b) => a.offset - b.offset);
  const compiled = compileLayout(
    pieces.map((p) => p.spec),
    layout.tsCol,
    { feedName: feed },
  );
  const same =
    compiled.fmt === layout.fmt &&
    compiled.recordSize === layout.recordSize &&
    compiled.tsOffset === layout.tsOffset &&
    compiled.fields.every(
      (f, i) => f.offset === layout.fields[i].offset && f.index === layout.fields[i].index,
    );
  if (!same) {
    throw new SchemaError(
      sentence(
        feed,
        `layout ${JSON.stringify(layout.fmt)} is inconsistent with its fields; use compileLayout()`,
      ),
      { feed },
    );
  }
  return compiled;
}

function isTupleRow(row: Row): row is ArrayLike<unknown> {
  return Array.isArray(row) || ArrayBuffer.isView(row);
}

function checkMode(int64: unknown, feed: string | undefined): asserts int64 is Int64Mode | undefined {
  if (int64 !== 'number' && int64 !== 'bigint' && int64 !== undefined) {
    throw valueError(
      'type',
      sentence(feed, `int64 must be 'number' or 'bigint', got ${describeValue(int64)}`),
      feed,
      undefined,
    );
  }
}

function checkOutput(out: unknown, at: unknown, feed: string | undefined): void {
  if (!Array.isArray(out)) {
    throw valueError(
      'type',
      sentence(feed, `decode output must be an array, got ${describeValue(out)}`),
      feed,
      undefined,
    );
  }
  if (!(typeof at === 'number' && at >= 0 && Math.floor(at) === at)) {
    throw valueError(
      'range',
      sentence(feed, `decode output index must be a non-negative integer, got ${describeValue(at)}`),
      feed,
      undefined,
    );
  }
}

/**
 * Typed-array writes past the end are silently dropped, so a column that is missing, of the
 * wrong type or too short would lose records without a word: refuse it up front.
 */
function checkColumns(
  columns: Record<string, ArrayBufferView>,
  at: unknown,
  count: unknown,
  shape: Record<string, ArrayBufferView>,
  feed: string | undefined,
): void {
  if (!(typeof at === 'number' && at >= 0 && Math.floor(at) === at)) {
    throw valueError(
      'range',
      sentence(feed, `column index must be a non-negative integer, got ${describeValue(at)}`),
      feed,
      undefined,
    );
  }
  for (const name in shape) {
    const column = columns?.[name] as (ArrayBufferView & { length: number }) | undefined;
    if (column?.constructor !== shape[name].constructor || !(at + (count as number) <= column.length)) {
      throw valueError(
        'range',
        sentence(
          feed,
          `column ${JSON.stringify(name)} must be a ${shape[name].constructor.name} with room for rows [${at}, ${at + (count as number)}); use allocateColumns()`,
        ),
        feed,
        name,
      );
    }
  }
}

type TypedArrayConstructor = new (
  buffer: ArrayBuffer,
  byteOffset: number,
  length: number,
) => ArrayBufferView & { BYTES_PER_ELEMENT: number };

/** Columns shaped like `shape` (same names, same typed-array types), laid end to end in one buffer. */
function carveColumns(
  shape: Record<string, ArrayBufferView>,
  count: number,
  allocate: (byteLength: number) => ArrayBuffer,
  feed: string | undefined,
): Record<string, ArrayBufferView> {
  const offsets: Record<string, number> = {};
  let byteLength = 0;
  for (const name in shape) {
    offsets[name] = byteLength;
    const bytes = count * (shape[name] as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    byteLength += Math.ceil(bytes / 8) * 8; // the next column starts 8-byte aligned
  }
  const buffer = allocate(byteLength);
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < byteLength) {
    throw valueError(
      'type',
      sentence(
        feed,
        `allocateColumns: allocate(${byteLength}) must return an ArrayBuffer of at least ${byteLength} bytes, got ${describeValue(buffer)}`,
      ),
      feed,
      undefined,
    );
  }
  const columns: Record<string, ArrayBufferView> = {};
  for (const name in shape) {
    const Column = shape[name].constructor as TypedArrayConstructor;
    columns[name] = new Column(buffer, offsets[name], count);
  }
  return columns;
}

/** Builds the codec for a layout from compileLayout(). Validation errors name options.feedName. */
export function createCodec(layout: RecordLayout, options: CreateCodecOptions = {}): RecordCodec {
  const feed = options.feedName;
  const verified = verifiedLayout(layout, feed);
  const errors = createCodecErrors(verified, feed);
  const g = factoryFor(verified)(errors);
  const recordSize = verified.recordSize;
  const numberShape = g.newColumnsNumber(0);
  const bigintShape = g.newColumnsBigint(0);

  const validateRow = (row: Row, index: number): number => {
    try {
      return isTupleRow(row) ? g.validateTuple(row) : g.validateObject(row);
    } catch (error) {
      const e = error as ValueError;
      e.message = `${e.message} (batch row ${index})`;
      e.row = index;
      throw e;
    }
  };

  return {
    layout: verified,
    fieldNames: Object.freeze(verified.fields.map((f) => f.name)),
    validateTuple: g.validateTuple,
    validateObject: g.validateObject,
    encodeTuple: g.encodeTuple,
    encodeObject: g.encodeObject,
    encodeTupleUnchecked: g.encodeTupleUnchecked,
    encodeObjectUnchecked: g.encodeObjectUnchecked,
    readTimestamp: g.readTimestamp,
    encodeBatch(view, byteOffset, rows, batchOptions = {}) {
      if (!Array.isArray(rows)) {
        throw valueError(
          'type',
          sentence(feed, `encodeBatch expects an array of rows, got ${describeValue(rows)}`),
          feed,
          undefined,
        );
      }
      if (!(byteOffset >= 0 && byteOffset + rows.length * recordSize <= view.byteLength)) {
        throw errors.bounds(view, byteOffset, rows.length);
      }
      let last = batchOptions.minTimestamp ?? Number.NaN;
      let floor = batchOptions.minTimestamp ?? Number.NEGATIVE_INFINITY;
      for (let i = 0; i < rows.length; i++) {
        const ts = validateRow(rows[i], i);
        if (ts < floor) {
          const name = verified.tsCol;
          throw valueError(
            'range',
            sentence(feed, `timestamp ${name}=${ts} in batch row ${i} is lower than the previous ${floor}`),
            feed,
            name,
          );
        }
        floor = ts;
        last = ts;
      }
      for (let i = 0, o = byteOffset; i < rows.length; i++, o += recordSize) {
        const row = rows[i];
        if (isTupleRow(row)) g.encodeTupleUnchecked(view, o, row);
        else g.encodeObjectUnchecked(view, o, row);
      }
      return last;
    },
    decodeTuple(view, byteOffset, int64) {
      if (int64 === 'bigint') return g.decodeTupleBigint(view, byteOffset);
      checkMode(int64, feed);
      return g.decodeTupleNumber(view, byteOffset);
    },
    decodeObject(view, byteOffset, int64) {
      if (int64 === 'bigint') return g.decodeObjectBigint(view, byteOffset);
      checkMode(int64, feed);
      return g.decodeObjectNumber(view, byteOffset);
    },
    decodeColumns(view, byteOffset, count, int64) {
      if (int64 === 'bigint') return g.decodeColumnsBigint(view, byteOffset, count);
      checkMode(int64, feed);
      return g.decodeColumnsNumber(view, byteOffset, count);
    },
    decodeTuples(view, byteOffset, count, int64, out, at) {
      checkOutput(out, at, feed);
      if (int64 === 'bigint') return g.decodeTuplesBigint(view, byteOffset, count, out, at);
      checkMode(int64, feed);
      return g.decodeTuplesNumber(view, byteOffset, count, out, at);
    },
    decodeObjects(view, byteOffset, count, int64, out, at) {
      checkOutput(out, at, feed);
      if (int64 === 'bigint') return g.decodeObjectsBigint(view, byteOffset, count, out, at);
      checkMode(int64, feed);
      return g.decodeObjectsNumber(view, byteOffset, count, out, at);
    },
    allocateColumns(count, int64, allocate) {
      if (!(count >= 0 && Math.floor(count) === count)) throw errors.badCount(count);
      if (int64 !== 'bigint') checkMode(int64, feed);
      if (allocate !== undefined) {
        return carveColumns(int64 === 'bigint' ? bigintShape : numberShape, count, allocate, feed);
      }
      return int64 === 'bigint' ? g.newColumnsBigint(count) : g.newColumnsNumber(count);
    },
    decodeColumnsInto(view, byteOffset, count, int64, columns, at) {
      checkMode(int64, feed);
      if (!(count >= 0 && Math.floor(count) === count)) throw errors.badCount(count);
      checkColumns(columns, at, count, int64 === 'bigint' ? bigintShape : numberShape, feed);
      return int64 === 'bigint'
        ? g.fillColumnsBigint(view, byteOffset, count, columns, at)
        : g.fillColumnsNumber(view, byteOffset, count, columns, at);
    },
  };
}
