import { DeepwaterRangeError } from '@deepwater/errors';
import type { Columns, FeedConfig, Reader } from '@deepwater/sdk';
import { type Data, makeData, RecordBatch, type Schema, Struct, Table, Utf8 } from 'apache-arrow';
import { arrowSchemaOf, isValueField } from './arrow-schema.js';

export interface ArrowBatchOptions {
  /** Records per Arrow RecordBatch at most (default 65536). */
  batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 65_536;
const INT64_SIGN = 1n << 63n;

/**
 * One-character strings from `char` bytes (Latin-1 code points) as Arrow utf8: bytes below 0x80
 * are one UTF-8 byte, the others two.
 */
function charsToUtf8(bytes: Uint8Array): Data<Utf8> {
  const offsets = new Int32Array(bytes.length + 1);
  let size = 0;
  for (let i = 0; i < bytes.length; i++) {
    size += bytes[i] < 0x80 ? 1 : 2;
    offsets[i + 1] = size;
  }
  const data = new Uint8Array(size);
  for (let i = 0, at = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) data[at++] = b;
    else {
      data[at++] = 0xc0 | (b >> 6);
      data[at++] = 0x80 | (b & 0x3f);
    }
  }
  return makeData({ type: new Utf8(), length: bytes.length, valueOffsets: offsets, data });
}

/**
 * An Arrow RecordBatch over one columnar batch of the feed (64-bit columns as BigInt64Array /
 * BigUint64Array): the numeric columns are shared, not copied; only `char` columns are re-encoded.
 */
export function columnsToRecordBatch(spec: FeedConfig, schema: Schema, columns: Columns): RecordBatch {
  const children: Data[] = [];
  let length = 0;
  for (const field of schema.fields) {
    const column = columns[field.name];
    length = (column as unknown as { length: number }).length;
    if (field.name === spec.tsCol && column instanceof BigUint64Array) {
      // Arrow timestamps are signed 64-bit: a uint64 time beyond 2^63 − 1 has no Arrow value.
      if (length > 0 && column[length - 1] >= INT64_SIGN) {
        throw new DeepwaterRangeError(
          `Feed "${spec.feedName}": timestamp ${column[length - 1]} in "${field.name}" is beyond 2^63 − 1, which an Arrow timestamp cannot hold`,
          { feed: spec.feedName, field: field.name },
        );
      }
    }
    if (field.typeId === new Utf8().typeId) children.push(charsToUtf8(column as Uint8Array));
    else {
      const values =
        field.name === spec.tsCol && column instanceof BigUint64Array
          ? new BigInt64Array(column.buffer, column.byteOffset, column.length)
          : column;
      children.push(makeData({ type: field.type, length, data: values as never }));
    }
  }
  const struct = makeData({ type: new Struct(schema.fields), length, children });
  return new RecordBatch(schema, struct);
}

/**
 * The feed's records with start <= ts < end as Arrow RecordBatches of at most `batchSize` records,
 * read lazily through the reader's columnar path (no per-record objects): memory stays bounded by
 * one batch whatever the range.
 */
export async function* readArrowBatches(
  reader: Reader,
  start: number | bigint,
  end: number | bigint,
  options: ArrowBatchOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  yield* arrowBatches(reader, start, end, options);
}

/** The same as readArrowBatches, synchronously. */
export function* arrowBatches(
  reader: Reader,
  start: number | bigint,
  end: number | bigint,
  options: ArrowBatchOptions = {},
): Generator<RecordBatch, void, undefined> {
  const spec = reader.spec;
  const schema = arrowSchemaOf(spec);
  const batches = reader.rangeBatches(start, end, {
    format: 'columnar',
    int64: 'bigint',
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
  });
  for (const columns of batches) yield columnsToRecordBatch(spec, schema, columns);
}

/** The feed's records with start <= ts < end as one Arrow Table (the whole range in memory). */
export function toArrowTable(reader: Reader, start: number | bigint, end: number | bigint): Table {
  const schema = arrowSchemaOf(reader.spec);
  const batches = [...arrowBatches(reader, start, end)];
  return new Table(schema, batches);
}

export { arrowSchemaOf, isValueField };
