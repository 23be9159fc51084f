import type { Int64Mode } from '@deepwater/schema-wasm';
import type { BatchByFormat, FormatName, RecordByFormat, StreamFormatName } from '../format/formats.js';
import type { ReadTypes, UntypedRead } from '../format/typed-records.js';
import type { AbortSignalLike } from './abort-signal.js';
import type { RecordStream } from './record-stream.js';

export interface ReaderOptions {
  /** How 64-bit integer fields are returned (default 'number': a RangeError names a field whose value is not a safe integer). */
  int64?: Int64Mode;
  /** Ring readers only: what a lapped reader does (default 'skip': skip to the oldest valid record and count the loss). */
  onOverrun?: 'skip' | 'throw';
  /**
   * Threads a large columnar or raw result may be built with, this one included (default: the
   * cpus this process may use, at most 4; 1 = never more than this thread). Only outputs of
   * 32 MiB and more are split; the threads live for the call alone.
   */
  decodeThreads?: number;
}

/** Reader options of a typed feed: the `int64` mode chosen here is reflected in the returned types. */
export interface TypedReaderOptions<M extends Int64Mode = 'number'> extends ReaderOptions {
  int64?: M;
}

export interface StreamOptions<F extends StreamFormatName = StreamFormatName> {
  /** Replay every record with ts >= start, then continue live. Without it the stream is live only. */
  start?: number | bigint;
  format?: F;
  /** Aborting it ends the stream: a parked `for await` at once, a sync iteration at its next poll. */
  signal?: AbortSignalLike;
}

export interface ReadOptions<F extends FormatName = FormatName> {
  format?: F;
}

export interface ReadAvailableOptions<F extends FormatName = FormatName> extends ReadOptions<F> {
  /** Upper bound on the records returned by one call (default: everything available in the current chunk). */
  maxRecords?: number;
}

export interface ReaderStats {
  /** Records a ring reader lost because the writer lapped it (always 0 for disk feeds). */
  lostRecords: number;
}

/**
 * Reader — owns its cursors and never slows the writer. Every createReader() call returns a new one;
 * each stream() has its own cursor, and readAvailable() keeps the reader's cursor.
 */
export interface Reader<R extends ReadTypes = UntypedRead> extends Disposable {
  readonly feedName: string;
  readonly fieldNames: readonly string[];
  /** The record's struct format, e.g. '<ddQ'. */
  readonly format: string;
  readonly recordSize: number;
  readonly closed: boolean;
  readonly stats: ReaderStats;
  stream<F extends StreamFormatName = 'tuple'>(
    options?: StreamOptions<F>,
  ): RecordStream<RecordByFormat<R>[F]>;
  /** Records with start <= ts < end. */
  range<F extends FormatName = 'tuple'>(
    start: number | bigint,
    end: number | bigint,
    options?: ReadOptions<F>,
  ): BatchByFormat<R>[F];
  /** Records with ts >= newest - seconds * 1e6, relative to the feed's newest record. */
  latest<F extends FormatName = 'tuple'>(seconds?: number, options?: ReadOptions<F>): BatchByFormat<R>[F];
  /** Non-blocking: what arrived since the last call; the first call positions at the live head. */
  readAvailable<F extends FormatName = 'tuple'>(options?: ReadAvailableOptions<F>): BatchByFormat<R>[F];
  close(): void;
}
