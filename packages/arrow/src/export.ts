import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { DeepwaterError, DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import type { Columns, Platform, Reader } from '@deepwater/sdk';
import {
  Table as ArrowTable,
  Field,
  type RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Timestamp,
  TimeUnit,
  tableToIPC,
} from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { arrowSchemaOf } from './arrow-schema.js';
import { openBase } from './base.js';
import { columnsToRecordBatch, DEFAULT_BATCH_SIZE } from './batches.js';
import { csvHeader, csvLines } from './csv.js';

export type ExportFormat = 'parquet' | 'arrow' | 'csv';
export type ParquetCompression = 'zstd' | 'snappy' | 'none';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['parquet', 'arrow', 'csv'];
export const PARQUET_COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'none'];

export interface ExportOptions {
  /** The base directory (a Platform is opened and closed for the call), or an open Platform. */
  base: string | Platform;
  feed: string;
  format: ExportFormat;
  out: string;
  /** Records with from <= ts < to (default: all). */
  from?: number | bigint;
  to?: number | bigint;
  /** Parquet only (default 'zstd'). */
  compression?: ParquetCompression;
  /** Parquet only: rows per row group at most (default 1 Mi). */
  rowGroupSize?: number;
  /** Records read per batch (default 65536): with the row group, what bounds memory. */
  batchSize?: number;
  /** Called after each batch with the records written so far and the batch's last timestamp. */
  onProgress?: (records: number, lastTs: bigint | undefined) => void;
}

export interface ExportResult {
  records: number;
  bytes: number;
  out: string;
}

const DEFAULT_ROW_GROUP = 1 << 20;
const COMPRESSION = {
  zstd: parquet.Compression.ZSTD,
  snappy: parquet.Compression.SNAPPY,
  none: parquet.Compression.UNCOMPRESSED,
} as const;

function withPlatform<T>(base: string | Platform, body: (platform: Platform) => Promise<T>): Promise<T> {
  if (typeof base !== 'string') return body(base);
  const platform = openBase(base);
  return body(platform).finally(() => platform.close());
}

/** Writes a chunk, waiting for the file stream to drain when its buffer is full (bounded memory). */
async function put(out: WriteStream, chunk: Uint8Array | string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function closeStream(out: WriteStream): Promise<number> {
  out.end();
  await finished(out);
  return out.bytesWritten;
}

/**
 * Exports a feed's records in [from, to) to a Parquet, Arrow IPC (file) or CSV file, streamed a
 * batch at a time so memory stays bounded whatever the range. On failure the partial file is removed.
 */
export async function exportFeed(options: ExportOptions): Promise<ExportResult> {
  const format = options.format;
  if (!EXPORT_FORMATS.includes(format)) {
    throw new DeepwaterTypeError(
      `export format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  const compression = options.compression ?? 'zstd';
  if (!PARQUET_COMPRESSIONS.includes(compression)) {
    throw new DeepwaterTypeError(
      `parquet compression must be one of ${PARQUET_COMPRESSIONS.join(', ')}, got ${JSON.stringify(compression)}`,
    );
  }
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP;
  if (!(Number.isSafeInteger(rowGroupSize) && rowGroupSize >= 1)) {
    throw new DeepwaterRangeError(`row group size must be an integer >= 1, got ${String(rowGroupSize)}`);
  }
  // A directory is refused before anything: a failed export removes its output path, and rm's
  // EISDIR would then be reported instead of the mistake.
  if ((await stat(options.out).catch(() => undefined))?.isDirectory()) {
    throw new DeepwaterTypeError(`export --out ${options.out} is a directory: name the file to write`, {
      path: options.out,
    });
  }
  return withPlatform(options.base, async (platform) => {
    const reader = platform.createReader(options.feed, { int64: 'bigint' });
    try {
      const batches = columnBatches(reader, options);
      const write =
        format === 'csv'
          ? writeCsv
          : format === 'arrow'
            ? writeArrowFile
            : writeParquetFile(compression, rowGroupSize);
      try {
        const { records, bytes } = await write(reader, batches, options.out);
        return { records, bytes, out: options.out };
      } catch (error) {
        await rm(options.out, { force: true });
        if (format === 'csv') await rm(`${options.out}.spec.json`, { force: true });
        throw error;
      }
    } finally {
      reader.close();
    }
  });
}

interface ColumnBatch {
  columns: Columns;
  length: number;
  lastTs: bigint | undefined;
}

function* columnBatches(reader: Reader, options: ExportOptions): Generator<ColumnBatch> {
  const tsCol = reader.spec.tsCol;
  let records = 0;
  for (const columns of reader.rangeBatches(
    options.from ?? Number.NEGATIVE_INFINITY,
    options.to ?? Number.POSITIVE_INFINITY,
    { format: 'columnar', int64: 'bigint', batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE },
  )) {
    const ts = columns[tsCol] as unknown as ArrayLike<bigint>;
    const length = ts.length;
    if (length === 0) continue;
    records += length;
    const lastTs = ts[length - 1];
    yield { columns, length, lastTs };
    options.onProgress?.(records, lastTs);
  }
}

type BatchWriter = (
  reader: Reader,
  batches: Iterable<ColumnBatch>,
  out: string,
) => Promise<{ records: number; bytes: number }>;

const writeCsv: BatchWriter = async (reader, batches, path) => {
  // CSV carries no types: the feed's spec beside it lets `import --create` make the same feed.
  await writeFile(`${path}.spec.json`, `${JSON.stringify(reader.spec, null, 2)}\n`);
  const out = createWriteStream(path);
  let records = 0;
  try {
    await put(out, csvHeader(reader.spec));
    for (const batch of batches) {
      await put(out, csvLines(reader.spec, batch.columns));
      records += batch.length;
    }
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { records, bytes: await closeStream(out) };
};

const writeArrowFile: BatchWriter = async (reader, batches, path) => {
  const spec = reader.spec;
  const schema = arrowSchemaOf(spec);
  const out = createWriteStream(path);
  const writer = new RecordBatchFileWriter();
  // The writer queues its bytes without limit: take them out after every batch, and wait for the
  // file to drain, so no more than a batch is held. A pending next() is kept for the next round.
  const bytes = writer[Symbol.asyncIterator]();
  let pending = bytes.next();
  const NOTHING_QUEUED = Symbol('nothing queued');
  const drainQueued = async (): Promise<void> => {
    for (;;) {
      const next = await Promise.race([pending, Promise.resolve(NOTHING_QUEUED)]);
      if (next === NOTHING_QUEUED || next.done) return;
      pending = bytes.next();
      await put(out, next.value);
    }
  };
  let records = 0;
  try {
    writer.reset(undefined, schema);
    for (const batch of batches) {
      writer.write(columnsToRecordBatch(spec, schema, batch.columns));
      records += batch.length;
      await drainQueued();
    }
    if (records === 0) writer.write(emptyBatch(reader, schema));
    writer.finish();
    writer.close();
    for (let next = await pending; !next.done; next = await bytes.next()) await put(out, next.value);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { records, bytes: await closeStream(out) };
};

/**
 * Parquet through parquet-wasm's streaming writer: each Arrow batch crosses into WebAssembly as IPC,
 * and row groups are flushed to the file as they fill.
 */
function writeParquetFile(compression: ParquetCompression, rowGroupSize: number): BatchWriter {
  return async (reader, batches, path) => {
    const spec = reader.spec;
    const schema = parquetSchemaOf(spec);
    const properties = new parquet.WriterPropertiesBuilder()
      .setCompression(COMPRESSION[compression])
      // Measured: dictionary pages halve the write rate of numeric market data for little gain.
      .setDictionaryEnabled(false)
      .setMaxRowGroupSize(rowGroupSize)
      .setKeyValueMetadata(new Map(schema.metadata))
      .setCreatedBy('@deepwater/arrow (parquet-wasm)')
      .build();
    let records = 0;
    const iterator = batches[Symbol.iterator]();
    let sentSchema = false;
    let failure: unknown;
    const source = new ReadableStream<parquet.RecordBatch>(
      {
        pull(controller) {
          try {
            const next = iterator.next();
            if (next.done) {
              // An empty range still makes a valid file with the feed's schema: one empty batch.
              if (!sentSchema)
                controller.enqueue(toWasmBatch(new ArrowTable(schema, [emptyBatch(reader, schema)])));
              sentSchema = true;
              controller.close();
              return;
            }
            sentSchema = true;
            records += next.value.length;
            const columns = inParquetUnit(spec, next.value.columns);
            controller.enqueue(
              toWasmBatch(new ArrowTable(schema, [columnsToRecordBatch(spec, schema, columns)])),
            );
          } catch (error) {
            // parquet-wasm reports a failed source as "Dyn casting error": keep ours to rethrow.
            failure = error;
            controller.error(error);
          }
        },
      },
      { highWaterMark: 0 },
    );
    const out = createWriteStream(path);
    try {
      const bytes = await parquet.transformParquetStream(source, properties);
      await bytes.pipeTo(Writable.toWeb(out) as WritableStream<Uint8Array>);
    } catch (error) {
      out.destroy();
      throw failure ?? error;
    }
    await finished(out).catch(() => undefined);
    return { records, bytes: out.bytesWritten };
  };
}

/**
 * The feed's Arrow schema as Parquet holds it. Parquet has no second-unit TIMESTAMP (arrow-rs
 * writes timestamp[s] as a bare INT64, which DuckDB and Spark read as an integer), so the time
 * column of a second-unit feed is written as timestamp[ms]; import converts it back exactly.
 */
function parquetSchemaOf(spec: Reader['spec']): Schema {
  const schema = arrowSchemaOf(spec);
  if (spec.tsUnit !== 's') return schema;
  const fields = schema.fields.map((f) =>
    f.name === spec.tsCol ? new Field(f.name, new Timestamp(TimeUnit.MILLISECOND), false, f.metadata) : f,
  );
  return new Schema(fields, schema.metadata);
}

/** Seconds held by an Arrow timestamp[ms]: beyond this a second-unit time has no millisecond value. */
const MAX_SECONDS = ((1n << 63n) - 1n) / 1000n;

/** A batch's columns with a second-unit feed's time column in milliseconds (see parquetSchemaOf). */
function inParquetUnit(spec: Reader['spec'], columns: Columns): Columns {
  if (spec.tsUnit !== 's') return columns;
  const seconds = columns[spec.tsCol] as unknown as BigInt64Array | BigUint64Array;
  const ms = new BigInt64Array(seconds.length);
  for (let i = 0; i < seconds.length; i++) {
    const value = seconds[i];
    if (value > MAX_SECONDS || value < -MAX_SECONDS) {
      throw new DeepwaterRangeError(
        `Feed "${spec.feedName}": timestamp ${value} s in "${spec.tsCol}" is beyond what a Parquet millisecond timestamp holds (±${MAX_SECONDS} s)`,
        { feed: spec.feedName, field: spec.tsCol },
      );
    }
    ms[i] = value * 1000n;
  }
  return { ...columns, [spec.tsCol]: ms } as Columns;
}

/** A batch of no records with the feed's schema (an empty range still exports a valid file). */
function emptyBatch(reader: Reader, schema: ReturnType<typeof arrowSchemaOf>): RecordBatch {
  return columnsToRecordBatch(reader.spec, schema, reader.range(1, 0, { format: 'columnar' }));
}

function toWasmBatch(table: ArrowTable): parquet.RecordBatch {
  const wasm = parquet.Table.fromIPCStream(tableToIPC(table, 'stream'));
  try {
    const batch = wasm.recordBatch(0);
    if (batch === undefined) {
      throw new DeepwaterError('ERR_INTERNAL', 'parquet-wasm: an Arrow batch did not cross into WebAssembly');
    }
    return batch;
  } finally {
    wasm.free();
  }
}

export type { RecordBatch };
