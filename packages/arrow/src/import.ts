import { createReadStream, openAsBlob } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import {
  DeepwaterError,
  type FeedConfig,
  type FeedFieldSpec,
  type FeedSpecInput,
  type Platform,
  type Writer,
} from '@deepwater/sdk';
import {
  type Data,
  type Field,
  type RecordBatch,
  RecordBatchReader,
  type Schema,
  tableFromIPC,
} from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import {
  isValueField,
  SPEC_KEY,
  TYPE_KEY,
  timeUnitOfArrow,
  type ValueType,
  valueTypeOfArrow,
} from './arrow-schema.js';
import { openBase } from './base.js';
import { DEFAULT_BATCH_SIZE } from './batches.js';
import { type CsvBatch, CsvColumnParser } from './csv-parse.js';
import { parquetFileBatches } from './parquet-reader.js';

export type ImportFormat = 'parquet' | 'arrow' | 'csv';

export interface ImportOptions {
  base: string | Platform;
  file: string;
  feed: string;
  /** Create the feed from the file's schema (Arrow/Parquet, or the `.spec.json` beside a CSV). */
  create?: boolean;
  /** Default: from the file's first bytes (Parquet and Arrow magic), else CSV. */
  format?: ImportFormat;
  batchSize?: number;
  onProgress?: (records: number) => void;
}

export interface ImportResult {
  feed: string;
  records: number;
  created: boolean;
}

/** A file that cannot be imported: unreadable, mistyped, unordered, or not matching the feed. */
export class ImportError extends DeepwaterError {
  readonly file: string;
  constructor(
    file: string,
    message: string,
    options: { feed?: string; field?: string; cause?: unknown } = {},
  ) {
    super('ERR_IMPORT', `${file}: ${message}; nothing was written`, {
      path: file,
      ...(options.feed === undefined ? {} : { feed: options.feed }),
      ...(options.field === undefined ? {} : { field: options.field }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'ImportError';
    this.file = file;
  }
}

interface ColumnBatch {
  columns: Record<string, ArrayBufferView>;
  length: number;
}

/**
 * The file is there and is not a directory. A pipe or device (a FIFO, /dev/stdin) is read once,
 * so its format cannot be sniffed from its first bytes first: it needs `format`.
 */
async function checkFile(file: string, format: ImportFormat | undefined): Promise<void> {
  let isDirectory: boolean;
  let isFile: boolean;
  try {
    const info = await stat(file);
    isDirectory = info.isDirectory();
    isFile = info.isFile();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ImportError(
      file,
      code === 'ENOENT' ? 'it does not exist' : `it cannot be read: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (isDirectory) throw new ImportError(file, 'it is a directory, not a Parquet, Arrow IPC or CSV file');
  if (!isFile && format === undefined) {
    throw new ImportError(
      file,
      'it is a pipe or device, read only once: name its format (--format parquet|arrow|csv), it cannot be guessed from its first bytes',
    );
  }
}

async function detectFormat(file: string): Promise<ImportFormat> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const text = head.subarray(0, bytesRead).toString('latin1');
    if (text.startsWith('PAR1')) return 'parquet';
    if (text.startsWith('ARROW1') || head.readUInt32LE(0) === 0xffffffff) return 'arrow';
    return 'csv';
  } finally {
    await handle.close();
  }
}

const UNIT_WORDS = { s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' } as const;

/** The description of an int64 field --create made from a timestamp column (not the time column). */
function timestampDesc(unit: FeedConfig['tsUnit']): string {
  return `timestamp: ${UNIT_WORDS[unit]} since the epoch`;
}

/** The feed a file's schema describes: its stored spec when it has one, else one inferred from the types. */
function specFromSchema(file: string, schema: Schema, feed: string): FeedSpecInput {
  const stored = schema.metadata.get(SPEC_KEY);
  if (stored !== undefined) {
    try {
      const spec = JSON.parse(stored) as FeedConfig;
      return { ...spec, feedName: feed } as FeedSpecInput;
    } catch (error) {
      throw new ImportError(file, `its "${SPEC_KEY}" metadata is not valid JSON`, { cause: error });
    }
  }
  const fields: FeedFieldSpec[] = [];
  let tsCol: string | undefined;
  let tsUnit: FeedConfig['tsUnit'] | undefined;
  for (const field of schema.fields) {
    const unit = timeUnitOfArrow(field.type);
    if (unit !== undefined && tsCol === undefined) {
      tsCol = field.name;
      tsUnit = unit;
    }
    const type = (field.metadata.get(TYPE_KEY) as ValueType | undefined) ?? valueTypeOfArrow(field.type);
    if (type === undefined) {
      throw new ImportError(
        file,
        `column "${field.name}" has Arrow type ${field.type}, which no feed field type holds`,
        {
          field: field.name,
        },
      );
    }
    // Another timestamp column (a receive time beside the exchange time) is an int64 field of the
    // same values; its unit, which the field type cannot say, goes in its description.
    fields.push(
      unit !== undefined && field.name !== tsCol
        ? { name: field.name, type, desc: timestampDesc(unit) }
        : { name: field.name, type },
    );
  }
  if (tsCol === undefined) {
    throw new ImportError(
      file,
      "it has no timestamp column to make the feed's time column (--create needs one)",
    );
  }
  return { feedName: feed, fields, tsCol, tsUnit } as FeedSpecInput;
}

/** A Parquet file's Arrow schema, with the file's key-value metadata (where the feed spec is). */
async function parquetSchema(file: string): Promise<Schema> {
  const source = await parquet.ParquetFile.fromFile(await openAsBlob(file));
  try {
    const schema = tableFromIPC(source.schema().intoIPCStream()).schema;
    const metadata = source.metadata().fileMetadata().keyValueMetadata() as Map<string, string>;
    const spec = metadata.get(SPEC_KEY);
    if (spec !== undefined && !schema.metadata.has(SPEC_KEY)) schema.metadata.set(SPEC_KEY, spec);
    return schema;
  } finally {
    source.free();
  }
}

/** One Arrow column of a batch as the typed array writeColumns takes for `field`. */
function columnOf(
  file: string,
  spec: FeedConfig,
  field: FeedFieldSpec,
  arrowField: Field,
  data: Data,
  firstRow: number,
  timestampsAsIntegers: boolean,
): ArrayBufferView {
  const type = field.type as ValueType;
  const isTime = field.name === spec.tsCol;
  const given = valueTypeOfArrow(arrowField.type);
  const unit = timeUnitOfArrow(arrowField.type);
  // The time column takes a timestamp in any unit (converted exactly below) or an integer of its
  // type. Another int64 field takes a timestamp column as its integers when --create made it from
  // this file, or made it from one in the same unit (its description says the unit): otherwise
  // nothing says which unit the field's integers are in.
  const accepted = isTime
    ? unit !== undefined || given === type
    : given === type && (unit === undefined || timestampsAsIntegers || field.desc === timestampDesc(unit));
  if (!accepted) {
    const expected = isTime
      ? `timestamp[${spec.tsUnit}] or ${type}`
      : type === 'char'
        ? 'utf8'
        : unit !== undefined
          ? `an integer column of ${type}: a timestamp column fills the time column "${spec.tsCol}", or a field whose description is "${timestampDesc(unit)}"`
          : type;
    throw new ImportError(
      file,
      `column "${field.name}" is ${String(arrowField.type)}${unit !== undefined ? ` (${unit})` : ''}, but feed "${spec.feedName}" field "${field.name}" is ${type} (expected ${expected})`,
      { field: field.name },
    );
  }
  if (data.nullCount > 0) {
    throw new ImportError(
      file,
      `column "${field.name}" has ${data.nullCount} null value(s); a record has every field`,
      {
        field: field.name,
      },
    );
  }
  if (type === 'char') return charsOf(file, field.name, data, firstRow);
  let values = (data.values as unknown as { subarray(a: number, b: number): ArrayBufferView }).subarray(
    data.offset,
    data.offset + data.length,
  );
  if (isTime && unit !== undefined && unit !== spec.tsUnit) {
    values = inFeedUnit(file, spec, arrowField, values as BigInt64Array, unit, firstRow);
  }
  if (isTime && type === 'uint64' && values instanceof BigInt64Array && values.length > 0) {
    // Sorted as unsigned (writeColumns checks that), so a negative value shows at one end.
    if (values[0] < 0n || values[values.length - 1] < 0n) {
      throw new ImportError(
        file,
        `column "${field.name}" has a negative timestamp; feed field "${field.name}" is uint64`,
        {
          field: field.name,
        },
      );
    }
    return new BigUint64Array(values.buffer, values.byteOffset, values.length);
  }
  return values;
}

const PER_SECOND = { s: 1n, ms: 1_000n, us: 1_000_000n, ns: 1_000_000_000n } as const;
const INT64_MAX = (1n << 63n) - 1n;

/**
 * A timestamp column in another unit than the feed's, converted exactly: to a finer unit when no
 * value overflows, to a coarser one when every value is a whole number of it (nothing rounded).
 */
function inFeedUnit(
  file: string,
  spec: FeedConfig,
  arrowField: Field,
  values: BigInt64Array,
  unit: FeedConfig['tsUnit'],
  firstRow: number,
): BigInt64Array {
  const from = PER_SECOND[unit];
  const to = PER_SECOND[spec.tsUnit];
  const out = new BigInt64Array(values.length);
  const refuse = (i: number, why: string): never => {
    throw new ImportError(
      file,
      `column "${arrowField.name}" (timestamp[${unit}]) holds ${values[i]} at row ${firstRow + i}, which ${why} (feed "${spec.feedName}")`,
      { feed: spec.feedName, field: arrowField.name },
    );
  };
  if (to > from) {
    const factor = to / from;
    const limit = INT64_MAX / factor;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value > limit || value < -limit) refuse(i, `overflows 64 bits in ${spec.tsUnit}`);
      out[i] = value * factor;
    }
  } else {
    const factor = from / to;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value % factor !== 0n) refuse(i, `is no whole number of ${spec.tsUnit}`);
      out[i] = value / factor;
    }
  }
  return out;
}

function charsOf(file: string, name: string, data: Data, firstRow: number): Uint8Array {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out = new Uint8Array(data.length);
  const decoder = new TextDecoder();
  for (let i = 0; i < data.length; i++) {
    const from = offsets[data.offset + i];
    const to = offsets[data.offset + i + 1];
    const length = to - from;
    let code = -1;
    if (length === 1 && bytes[from] < 0x80) code = bytes[from];
    else if (length === 2) {
      const text = decoder.decode(bytes.subarray(from, to));
      if (text.length === 1) code = text.charCodeAt(0);
    }
    if (code < 0 || code > 255) {
      const text = decoder.decode(bytes.subarray(from, to));
      throw new ImportError(
        file,
        `column "${name}" row ${firstRow + i} holds ${JSON.stringify(text)}, but a char field takes one character with a code point <= 255`,
        { field: name },
      );
    }
    out[i] = code;
  }
  return out;
}

function batchColumns(
  file: string,
  spec: FeedConfig,
  batch: RecordBatch,
  firstRow: number,
  timestampsAsIntegers: boolean,
): ColumnBatch {
  const columns: Record<string, ArrayBufferView> = {};
  for (const field of spec.fields.filter(isValueField)) {
    const index = batch.schema.fields.findIndex((f) => f.name === field.name);
    if (index < 0) {
      throw new ImportError(
        file,
        `it has no column "${field.name}", a field of feed "${spec.feedName}" (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`,
        { field: field.name },
      );
    }
    const data = batch.data.children[index];
    columns[field.name] = columnOf(
      file,
      spec,
      field,
      batch.schema.fields[index],
      data,
      firstRow,
      timestampsAsIntegers,
    );
  }
  return { columns, length: batch.numRows };
}

async function* arrowFileBatches(file: string): AsyncGenerator<RecordBatch> {
  const handle = await open(file, 'r');
  try {
    const reader = await RecordBatchReader.from(handle);
    for await (const batch of reader) yield batch;
  } finally {
    await handle.close();
  }
}

/** Blocks the CSV is read in: the parser holds one block and one unfinished record. */
const CSV_BLOCK_BYTES = 1 << 20;

async function* csvBatches(file: string, spec: FeedConfig, batchSize: number): AsyncGenerator<ColumnBatch> {
  const parser = new CsvColumnParser(spec, batchSize, (message, field) => {
    throw new ImportError(file, message, field === undefined ? {} : { field });
  });
  const ready: CsvBatch[] = [];
  // One read of the file, in blocks: memory holds a block, one unfinished record and a batch.
  for await (const block of createReadStream(file, { highWaterMark: CSV_BLOCK_BYTES })) {
    parser.push(block as Buffer, ready);
    while (ready.length > 0) yield ready.shift() as CsvBatch;
  }
  parser.end(ready);
  while (ready.length > 0) yield ready.shift() as CsvBatch;
}

/** The exact first and last timestamps of a batch (for the order check across batches). */
function ends(spec: FeedConfig, batch: ColumnBatch): [bigint, bigint] {
  const ts = batch.columns[spec.tsCol] as unknown as ArrayLike<bigint>;
  return [BigInt(ts[0]), BigInt(ts[batch.length - 1])];
}

/**
 * Imports a Parquet, Arrow IPC or CSV file into a feed through writer.writeColumns, reading the file
 * once, one batch at a time (bounded memory). Every batch is checked (types, nulls, values,
 * timestamp order within and across batches) before it is written, and a bad file writes nothing:
 * a feed made with `create` receives the batches directly and is deleted again if a later batch is
 * bad; an existing feed receives the records only once the whole file has been read into a
 * staging feed beside it (then copied as whole records with writeRaw, and the staging feed deleted).
 */
export async function importFile(options: ImportOptions): Promise<ImportResult> {
  const { file, feed } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  await checkFile(file, options.format);
  const format = options.format ?? (await detectFormat(file));
  const platform =
    typeof options.base === 'string' ? openBase(options.base, options.create === true) : options.base;
  try {
    const exists = platform.listFeeds().some((f) => f.name === feed);
    let spec: FeedConfig;
    let toCreate: FeedSpecInput | undefined;
    if (exists) {
      spec = specOf(platform, feed);
    } else if (!options.create) {
      throw new ImportError(
        file,
        `feed "${feed}" does not exist (pass --create to make it from the file's schema)`,
      );
    } else {
      toCreate = await specToCreate(file, format, feed);
      spec = { ...toCreate, tsUnit: toCreate.tsUnit ?? 'us' } as FeedConfig;
    }
    const batches =
      format === 'csv'
        ? csvBatches(file, spec, batchSize)
        : columnBatchesOf(file, format, spec, batchSize, toCreate !== undefined);
    if (toCreate !== undefined) {
      platform.createFeed(toCreate);
      let records = 0;
      try {
        records = await writeChecked(platform, feed, file, format, spec, batches, options.onProgress);
      } catch (error) {
        platform.deleteFeed(feed, { missingOk: true });
        throw error;
      }
      return { feed, records, created: true };
    }
    // The target's writer first: a feed another writer holds is refused before the file is read.
    const writer = platform.createWriter(feed);
    const staging = stagingFeedName();
    try {
      platform.createFeed(stagingSpec(platform, feed, staging));
      await writeChecked(platform, staging, file, format, spec, batches);
      const records = copyWhole(platform, staging, writer, file, options.onProgress);
      return { feed, records, created: false };
    } finally {
      writer.close();
      platform.deleteFeed(staging, { missingOk: true });
    }
  } finally {
    if (typeof options.base === 'string') platform.close();
  }
}

/**
 * The staging feed: the target's record layout exactly (padding fields included, so its raw
 * records are the target's), on disk, in the default chunk size, page-cache durability.
 */
function stagingSpec(platform: Platform, feed: string, staging: string): FeedSpecInput {
  const reader = platform.createReader(feed);
  try {
    const { fields, tsCol, tsUnit } = reader.spec;
    return {
      feedName: staging,
      fields,
      tsCol,
      tsUnit,
      persist: true,
      durability: 'page-cache',
    } as FeedSpecInput;
  } finally {
    reader.close();
  }
}

let stagingCount = 0;

/** A feed name no user picks (and within the 64-character limit whatever the target's name). */
function stagingFeedName(): string {
  return `_deepwater-import-${process.pid}-${++stagingCount}`;
}

/** Checks each batch of the one read of the file and appends it to `target`; returns the count. */
async function writeChecked(
  platform: Platform,
  target: string,
  file: string,
  format: ImportFormat,
  spec: FeedConfig,
  batches: AsyncGenerator<ColumnBatch>,
  onProgress?: (records: number) => void,
): Promise<number> {
  const writer = platform.createWriter(target);
  let written = 0;
  let previous: bigint | undefined;
  try {
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const [first, last] = ends(spec, batch);
      if (previous !== undefined && first < previous) {
        throw new ImportError(
          file,
          `timestamps go back from ${previous} to ${first} at record ${written} (column "${spec.tsCol}" of feed "${spec.feedName}")`,
          {
            field: spec.tsCol,
          },
        );
      }
      checkOrderInside(file, spec, batch, written);
      previous = last;
      try {
        written += writer.writeColumns(batch.columns);
      } catch (error) {
        throw new ImportError(file, (error as Error).message.replace(/; nothing was written$/, ''), {
          cause: error,
        });
      }
      onProgress?.(written);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(file, `it cannot be read as ${format}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    writer.close();
  }
  return written;
}

/** The staging feed's records appended to the target as whole records, a bounded batch at a time. */
function copyWhole(
  platform: Platform,
  staging: string,
  writer: Writer,
  file: string,
  onProgress?: (records: number) => void,
): number {
  const reader = platform.createReader(staging);
  let written = 0;
  try {
    const all = reader.rangeBatches(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, {
      format: 'raw',
      batchSize: COPY_BATCH_RECORDS,
    });
    for (const bytes of all) {
      try {
        written += writer.writeRaw(bytes);
      } catch (error) {
        // Only the first call can be refused for its content (earlier than the feed's last record).
        if (written === 0)
          throw new ImportError(file, (error as Error).message.replace(/; nothing was written$/, ''), {
            cause: error,
          });
        throw error;
      }
      onProgress?.(written);
    }
  } finally {
    reader.close();
  }
  return written;
}

/** Records per writeRaw call when a staging feed is copied: 64 K records, a few MB. */
const COPY_BATCH_RECORDS = 65_536;

function checkOrderInside(file: string, spec: FeedConfig, batch: ColumnBatch, before: number): void {
  const ts = batch.columns[spec.tsCol] as unknown as ArrayLike<bigint>;
  const i = firstDecrease(ts, batch.length);
  if (i > 0) {
    throw new ImportError(
      file,
      `timestamps go back from ${ts[i - 1]} to ${ts[i]} at record ${before + i} (column "${spec.tsCol}" of feed "${spec.feedName}")`,
      {
        field: spec.tsCol,
      },
    );
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The first record whose timestamp is below the one before it, or -1. A 64-bit column is compared
 * as its 32-bit words in place: reading a BigInt64Array element makes a BigInt, which cost more
 * than the parse of the record.
 */
function firstDecrease(ts: ArrayLike<bigint>, length: number): number {
  if (LITTLE_ENDIAN && (ts instanceof BigUint64Array || ts instanceof BigInt64Array)) {
    const lo = new Uint32Array(ts.buffer, ts.byteOffset, length * 2);
    const hi = ts instanceof BigInt64Array ? new Int32Array(ts.buffer, ts.byteOffset, length * 2) : lo;
    let previousHi = hi[1];
    let previousLo = lo[0];
    for (let i = 1, w = 2; i < length; i++, w += 2) {
      const h = hi[w + 1];
      const l = lo[w];
      if (h < previousHi || (h === previousHi && l < previousLo)) return i;
      previousHi = h;
      previousLo = l;
    }
    return -1;
  }
  for (let i = 1; i < length; i++) if (ts[i] < ts[i - 1]) return i;
  return -1;
}

function specOf(platform: Platform, feed: string): FeedConfig {
  const info = platform.describeFeed(feed);
  return {
    feedName: info.name,
    fields: info.fields.map((f) =>
      f.desc === undefined ? { name: f.name, type: f.type } : { name: f.name, type: f.type, desc: f.desc },
    ) as FeedFieldSpec[],
    tsCol: info.tsCol,
    tsUnit: info.tsUnit,
  } as FeedConfig;
}

async function* columnBatchesOf(
  file: string,
  format: 'parquet' | 'arrow',
  spec: FeedConfig,
  batchSize: number,
  timestampsAsIntegers: boolean,
): AsyncGenerator<ColumnBatch> {
  const source = format === 'parquet' ? parquetFileBatches(file, batchSize) : arrowFileBatches(file);
  let rows = 0;
  for await (const batch of source) {
    yield batchColumns(file, spec, batch, rows, timestampsAsIntegers);
    rows += batch.numRows;
  }
}

async function specToCreate(file: string, format: ImportFormat, feed: string): Promise<FeedSpecInput> {
  if (format === 'csv') {
    const sidecar = `${file}.spec.json`;
    try {
      const { readFile } = await import('node:fs/promises');
      const spec = JSON.parse(await readFile(sidecar, 'utf8')) as FeedConfig;
      return { ...spec, feedName: feed } as FeedSpecInput;
    } catch (error) {
      throw new ImportError(
        file,
        `a CSV file carries no types: create feed "${feed}" first, or keep the ${sidecar} that export wrote beside it`,
        { cause: error },
      );
    }
  }
  try {
    if (format === 'parquet') return specFromSchema(file, await parquetSchema(file), feed);
    const handle = await open(file, 'r');
    try {
      const reader = await RecordBatchReader.from(handle);
      await reader.open();
      return specFromSchema(file, reader.schema, feed);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(file, `it cannot be read as ${format}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
