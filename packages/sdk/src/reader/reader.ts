import type { Int64Mode } from '@deepwater/schema-wasm';
import type { BatchByFormat, FormatName, RecordByFormat, StreamFormatName } from '../format/formats.js';
import type { ReadTypes, UntypedRead } from '../format/typed-records.js';
import type { FeedConfig } from '../platform/feed-spec.js';
import type { AbortSignalLike } from './abort-signal.js';
import type { RecordScan } from './record-scan.js';
import type { RecordStream } from './record-stream.js';
import type { ScanRecord } from './record-view.js';

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
  /**
   * Replay from the record with this seq (its 0-based ordinal in the feed; the ring's sequence for
   * persist:false feeds), then continue live. Older than what the feed still holds: starts at the
   * oldest record held and counts the missing ones in `stats.lostRecords` (or throws OverrunError
   * with onOverrun: 'throw'); beyond the end: waits for it. Not together with `start`.
   */
  fromSeq?: number;
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

export interface AsOfOptions<F extends StreamFormatName = StreamFormatName> {
  format?: F;
}

export interface RangeBatchesOptions<F extends FormatName = FormatName> extends ReadOptions<F> {
  /** Records per batch at most (default 65536); a batch never spans two chunks, so some are shorter. */
  batchSize?: number;
  /** How this call returns 64-bit integer fields, overriding the reader's int64 option. */
  int64?: Int64Mode;
}

export interface ReaderStats {
  /**
   * Records a ring reader lost because the writer lapped it, and records a `stream({ fromSeq })`
   * asked for that the feed no longer held (retention, ring overwrite).
   */
  lostRecords: number;
}

/**
 * Reader — owns its cursors and never slows the writer. Every createReader() call returns a new one;
 * each stream() has its own cursor, and readAvailable() keeps the reader's cursor.
 */
export interface Reader<R extends ReadTypes = UntypedRead> extends Disposable {
  readonly feedName: string;
  readonly fieldNames: readonly string[];
  /** The feed's spec (fields with their descriptions, tsCol, tsUnit, ...), as stored in feed.json. */
  readonly spec: FeedConfig;
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
  /** Records with fromSeq <= seq < toSeq that the feed still holds. */
  rangeSeq<F extends FormatName = 'tuple'>(
    fromSeq: number,
    toSeq: number,
    options?: ReadOptions<F>,
  ): BatchByFormat<R>[F];
  /** Seq of the first record with timestamp >= ts (a lower bound); nextSeq() if there is none. */
  seqAt(ts: number | bigint): number;
  /** The seq the next record written will get (the number of records ever written to a disk feed). */
  nextSeq(): number;
  /** Non-blocking: what arrived since the last call; the first call positions at the live head. */
  readAvailable<F extends FormatName = 'tuple'>(options?: ReadAvailableOptions<F>): BatchByFormat<R>[F];
  /**
   * Records with start <= ts < end in batches of at most `batchSize`, read lazily: memory stays
   * bounded by one batch whatever the range (the range's extent is fixed when iteration starts).
   */
  rangeBatches<F extends FormatName = 'tuple'>(
    start: number | bigint,
    end: number | bigint,
    options?: RangeBatchesOptions<F>,
  ): IterableIterator<BatchByFormat<R>[F]>;
  /**
   * The last record with ts <= the given timestamp (the as-of lookup), or undefined when there is
   * none (an empty feed, every record later, or — on a ring — the record was already overwritten).
   */
  asOf<F extends StreamFormatName = 'tuple'>(
    ts: number | bigint,
    options?: AsOfOptions<F>,
  ): RecordByFormat<R>[F] | undefined;
  close(): void;
  /**
   * Records with start <= ts < end (the records range() returns), yielded as ONE reused view with a
   * getter per field plus $seq and $ts, read in place: nothing is allocated per record. The view is
   * valid until the next step (it then shows the next record); once the scan ends, or the reader
   * closes, every member of the view throws ERR_CLOSED. Copy with toTuple()/toObject().
   */
  scan(start: number | bigint, end: number | bigint): RecordScan<ScanRecord<R>>;
  /**
   * Records with fromSeq <= seq < toSeq that the feed still holds (the records rangeSeq() returns),
   * yielded as scan() yields them: one reused view, valid until the next step.
   */
  scanSeq(fromSeq: number, toSeq: number): RecordScan<ScanRecord<R>>;
}
