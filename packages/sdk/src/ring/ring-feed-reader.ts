import type { RingReader } from '@deepwater/ring';
import type { Int64Mode, RecordCodec } from '@deepwater/schema-wasm';
import { closedError, isOutOfMemory, rethrowResourceError } from '../errors.js';
import { decodeBatch } from '../format/batch.js';
import type {
  BatchByFormat,
  CanonicalFormat,
  FormatName,
  RecordByFormat,
  StreamFormatName,
} from '../format/formats.js';
import type { FeedContext } from '../platform/feed-context.js';
import type { FeedConfig } from '../platform/feed-spec.js';
import {
  asOfArgs,
  latestArgs,
  rangeArgs,
  rangeBatchesArgs,
  rangeSeqArgs,
  readAvailableArgs,
  seqArg,
  spanArgs,
  streamArgs,
} from '../reader/call-args.js';
import type {
  AsOfOptions,
  RangeBatchesOptions,
  ReadAvailableOptions,
  Reader,
  ReaderStats,
  ReadOptions,
  StreamOptions,
} from '../reader/reader.js';
import type { ResolvedReaderOptions } from '../reader/reader-options.js';
import { keepShapeAlive, RecordScan, type ScanRun, type ScanSource } from '../reader/record-scan.js';
import { NO_RECORD, RecordStream, type StreamSource } from '../reader/record-stream.js';
import { recordViewControl } from '../reader/record-view.js';
import {
  boundAfter,
  boundBefore,
  type ExactTimestampReader,
  exactTimestampReader,
  isBelow,
  isEmptySpan,
  type TimeBound,
  timeBoundArg,
  UNITS_PER_SECOND,
} from '../reader/time-bound.js';
import { RingCursor, type RingStart } from './ring-cursor.js';
import { translateRingError } from './ring-errors.js';
import { ringShmName } from './ring-name.js';
import { type RingCursorKind, RingReadersTable } from './ring-readers-table.js';

/** Records a ring scan copies out (and validates) per refill of its private buffer. */
const SCAN_BATCH = 1024;
/** A stream that keeps finding records announces its position once per this many (see tryNext). */
const STREAM_ANNOUNCE_EVERY = 256;
/** A stream that finds nothing announces (refreshes its heartbeat) once per this many polls. */
const IDLE_POLLS_PER_ANNOUNCE = 64;
/** The ring's lower-bound key for a bound: exact (a bigint) only where a number would round. */
function searchKey(bound: TimeBound): number | bigint {
  return bound.exact ?? bound.approx;
}

/** Marks a record below a stream's start timestamp (dropped before it reaches the caller). */
const BEFORE_START: unique symbol = Symbol('deepwater.beforeStart');

type Decode = (view: DataView, byteOffset: number) => unknown;

/**
 * The runs of a ring scan: slots may be overwritten at any time, so records are copied out and
 * validated (readInto re-checks the writer's claim after the copy) before the view can read them,
 * never read in place.
 */
class RingScanSource implements ScanSource {
  readonly #feed: string;
  readonly #reader: RingReader | null;
  readonly #stop: number;
  readonly #copies: Uint8Array;
  #release: (() => void) | undefined;

  constructor(
    feed: string,
    reader: RingReader | null,
    stop: number,
    count: number,
    recordSize: number,
    release: () => void,
  ) {
    this.#feed = feed;
    this.#reader = reader;
    this.#stop = stop;
    this.#copies = new Uint8Array(Math.min(SCAN_BATCH, Math.max(1, count)) * recordSize);
    this.#release = release;
  }

  nextRun(): ScanRun | undefined {
    const reader = this.#reader;
    if (reader === null) return undefined;
    try {
      while (reader.position < this.#stop) {
        const n = reader.readInto(this.#copies, Math.min(SCAN_BATCH, this.#stop - reader.position));
        if (n > 0)
          return { buffer: this.#copies.buffer, byteOffset: 0, count: n, firstSeq: reader.position - n };
        if (reader.available() === 0) break;
      }
      return undefined;
    } catch (error) {
      throw translateRingError(this.#feed, error);
    }
  }

  /** Counts the cursor's losses in the reader's stats and closes it (once). */
  close(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

// A source holding nothing, kept for its class's map: a gc() between two scans must not
// deoptimise the caller's loop that inlined its close() at a scan's end (see keepShapeAlive).
keepShapeAlive(new RingScanSource('', null, 0, 0, 1, () => {}));

/**
 * RingFeedReader — reads a persist:false feed from its shared-memory ring; never slows the writer.
 * Owns its cursors: each stream() has one, readAvailable() keeps one, range()/latest() search what
 * the ring still holds. Every record is validated after it is copied, so a record the writer
 * overwrote meanwhile is never returned; such losses are counted in stats.lostRecords (or throw
 * OverrunError with onOverrun: 'throw'). Works before the ring exists and attaches when it appears.
 */
export class RingFeedReader implements Reader {
  readonly feedName: string;
  readonly fieldNames: readonly string[];
  readonly format: string;
  readonly recordSize: number;
  readonly spec: FeedConfig;
  readonly #ctx: FeedContext;
  readonly #codec: RecordCodec;
  readonly #readExact: ExactTimestampReader;
  readonly #int64: Int64Mode;
  readonly #decodeThreads: number;
  readonly #onOverrun: 'skip' | 'throw';
  readonly #shmName: string;
  readonly #streams = new Set<RecordStream<unknown>>();
  /** Cursors of closed streams still count in stats. */
  #lostByClosed = 0;
  readonly #streamCursors = new Set<RingCursor>();
  readonly #scans = new Set<RecordScan>();
  #available: RingCursor | undefined;
  #probe: RingCursor | undefined;
  /** Where cursors watch for the ring and stream/readAvailable cursors announce themselves; undefined until the first cursor. */
  #readersTable: RingReadersTable | null | undefined;
  #closed = false;

  /** `options` are resolved (checked, defaults filled) by the Platform. */
  constructor(ctx: FeedContext, options: ResolvedReaderOptions) {
    this.#ctx = ctx;
    this.feedName = ctx.feedName;
    this.#codec = ctx.codec;
    this.#readExact = exactTimestampReader(ctx.layout);
    this.fieldNames = ctx.codec.fieldNames;
    this.format = ctx.layout.fmt;
    this.recordSize = ctx.layout.recordSize;
    this.spec = ctx.config;
    this.#int64 = options.int64;
    this.#decodeThreads = options.decodeThreads;
    this.#onOverrun = options.onOverrun;
    this.#shmName = ringShmName(ctx.basePath, ctx.feedName);
    ctx.register(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): ReaderStats {
    let lost = this.#lostByClosed + (this.#available?.lostRecords ?? 0) + (this.#probe?.lostRecords ?? 0);
    for (const cursor of this.#streamCursors) lost += cursor.lostRecords;
    return { lostRecords: lost };
  }

  stream<F extends StreamFormatName = 'tuple'>(options?: StreamOptions<F>): RecordStream<RecordByFormat[F]> {
    this.#assertOpen();
    const { format, signal, start: fromTs, fromSeq } = streamArgs(this.feedName, options);
    const cursor = this.#announced(
      this.#cursor(
        fromSeq !== undefined ? { fromSeq } : fromTs === undefined ? 'live' : { fromTs: searchKey(fromTs) },
      ),
      'stream',
    );
    this.#streamCursors.add(cursor);
    // Seq of the record most recently returned: readOne consumes exactly the record it returns
    // (losses skip the position before it), so it is the position just behind the reader.
    let lastSeq = -1;
    const decodeRecord = this.#recordDecoder(format);
    const codec = this.#codec;
    const readExact = this.#readExact;
    // Records below `start` can still arrive (a start in the future, or a ring that appeared
    // later and is read from its first record): drop them until the first one at or after it.
    let filtering = fromTs !== undefined;
    const decodeFiltered: Decode = (view, byteOffset) =>
      isBelow(codec.readTimestamp(view, byteOffset), fromTs as TimeBound, readExact, view, byteOffset)
        ? BEFORE_START
        : decodeRecord(view, byteOffset);
    // One record per call, straight from its slot, as the disk stream does: no queue to fill and
    // empty (a refill of 256 cost ~2x the disk path per record, and at the live head each call
    // refilled it with one record), and no look at the slot after the record, whose cache line is
    // usually cold. The position is announced once per STREAM_ANNOUNCE_EVERY records taken and at
    // the first poll that finds nothing after records were taken (then the caller has taken
    // everything before the cursor).
    let reader: RingReader | null = null;
    let untilAnnounce = STREAM_ANNOUNCE_EVERY;
    let idlePolls = IDLE_POLLS_PER_ANNOUNCE;
    // Attaching and failing on their own: V8 inlines tryNext with readOne and the decoder into the
    // caller's loop only within a bytecode budget (the attach path in it left the decoder a call).
    const attach = (): RingReader | null => {
      cursor.announce();
      try {
        reader = cursor.reader(); // attaching may refuse a fromSeq the ring never held ('throw')
      } catch (error) {
        throw translateRingError(this.feedName, error);
      }
      return reader;
    };
    const failed = (error: unknown): never => {
      cursor.announce(); // a loss counted before an OverrunError is shown at once
      throw translateRingError(this.feedName, error);
    };
    const source: StreamSource<unknown> = {
      tryNext: () => {
        const attached = reader ?? attach();
        if (attached === null) return NO_RECORD;
        for (;;) {
          let record: unknown;
          try {
            record = attached.readOne(filtering ? decodeFiltered : decodeRecord, NO_RECORD);
          } catch (error) {
            return failed(error);
          }
          if (record === NO_RECORD) {
            // The caller has taken everything before the cursor: announce it if records were taken
            // since the last announcement, else only every IDLE_POLLS_PER_ANNOUNCE polls (for the
            // heartbeat). A call per poll tripled what a spinning reader's poll cost (~5 → 15 ns).
            if (untilAnnounce !== STREAM_ANNOUNCE_EVERY || --idlePolls === 0) {
              untilAnnounce = STREAM_ANNOUNCE_EVERY;
              idlePolls = IDLE_POLLS_PER_ANNOUNCE;
              cursor.announce(IDLE_POLLS_PER_ANNOUNCE);
            }
            return NO_RECORD;
          }
          if (--untilAnnounce === 0) {
            untilAnnounce = STREAM_ANNOUNCE_EVERY;
            cursor.announce();
          }
          if (record === BEFORE_START) continue;
          filtering = false;
          lastSeq = attached.position - 1;
          return record;
        }
      },
      waitAsync: (timeoutMs) => (this.#closed ? Promise.resolve() : cursor.waitAsync(timeoutMs)),
      lastSeq: () => lastSeq,
      close: () => {
        this.#lostByClosed += cursor.lostRecords;
        this.#streamCursors.delete(cursor);
        cursor.close();
      },
    };
    const stream = new RecordStream<unknown>(source, () => this.#streams.delete(stream), signal);
    if (!stream.closed) this.#streams.add(stream);
    return stream as RecordStream<RecordByFormat[F]>;
  }

  readAvailable<F extends FormatName = 'tuple'>(options?: ReadAvailableOptions<F>): BatchByFormat[F] {
    this.#assertOpen();
    const { format, maxRecords: max } = readAvailableArgs(this.feedName, options);
    if (this.#available === undefined) {
      this.#available = this.#announced(this.#cursor('live'), 'readAvailable');
      return this.#empty(format) as BatchByFormat[F];
    }
    const cursor = this.#available;
    const reader = cursor.reader();
    if (reader === null || max < 1) {
      cursor.announce();
      return this.#empty(format) as BatchByFormat[F];
    }
    const wanted = Math.min(Math.floor(max), reader.available(), reader.capacity);
    try {
      return this.#read(reader, format, wanted) as BatchByFormat[F];
    } finally {
      // Everything read is handed to the caller: announce the new position (and any loss, also
      // when an OverrunError is thrown).
      cursor.announce();
    }
  }

  range<F extends FormatName = 'tuple'>(
    start: number | bigint,
    end: number | bigint,
    options?: ReadOptions<F>,
  ): BatchByFormat[F] {
    this.#assertOpen();
    const { format, from, to } = rangeArgs(this.feedName, start, end, options);
    const reader = this.#probeReader();
    if (reader === null || isEmptySpan(from, to)) return this.#empty(format) as BatchByFormat[F];
    return this.#span(
      reader,
      format,
      reader.lowerBound(searchKey(from)),
      reader.lowerBound(searchKey(to)),
    ) as BatchByFormat[F];
  }

  scan(start: number | bigint, end: number | bigint): RecordScan {
    this.#assertOpen();
    const { from, to } = spanArgs(this.feedName, start, end);
    if (isEmptySpan(from, to)) return this.#scanOver(() => undefined);
    return this.#scanOver((reader) => ({
      first: reader.lowerBound(searchKey(from)),
      stop: reader.lowerBound(searchKey(to)),
    }));
  }

  scanSeq(fromSeq: number, toSeq: number): RecordScan {
    this.#assertOpen();
    const from = seqArg(this.feedName, 'fromSeq', fromSeq);
    const to = seqArg(this.feedName, 'toSeq', toSeq);
    if (to <= from) return this.#scanOver(() => undefined);
    // What the ring still holds of [from, to), as rangeSeq(): older records are gone, newer ones not written.
    return this.#scanOver((reader) => ({
      first: Math.max(from, reader.oldest()),
      stop: Math.min(to, reader.published()),
    }));
  }

  /** A scan of the sequences [first, stop) that `extent` picks once the scan's own cursor is attached. */
  #scanOver(extent: (reader: RingReader) => { first: number; stop: number } | undefined): RecordScan {
    // Its own cursor: range() calls meanwhile move the probe, never the scan.
    const cursor = this.#cursor('none');
    this.#streamCursors.add(cursor);
    let reader: RingReader | null = null;
    let stop = 0;
    let count = 0;
    try {
      reader = cursor.reader();
      const span = reader === null ? undefined : extent(reader);
      if (reader !== null && span === undefined) reader = null;
      if (reader !== null && span !== undefined) {
        stop = span.stop;
        reader.seek(span.first);
        count = Math.max(0, stop - reader.position);
      }
    } catch (error) {
      this.#streamCursors.delete(cursor);
      cursor.close();
      throw translateRingError(this.feedName, error);
    }
    const source = new RingScanSource(this.feedName, reader, stop, count, this.recordSize, () => {
      this.#lostByClosed += cursor.lostRecords;
      this.#streamCursors.delete(cursor);
      cursor.close();
    });
    return new RecordScan(
      this.feedName,
      recordViewControl(this.#codec, this.#int64),
      source,
      this.recordSize,
      this.#scans,
    );
  }

  rangeBatches<F extends FormatName = 'tuple'>(
    start: number | bigint,
    end: number | bigint,
    options?: RangeBatchesOptions<F>,
  ): IterableIterator<BatchByFormat[F]> {
    this.#assertOpen();
    const { format, batchSize, int64, from, to } = rangeBatchesArgs(
      this.feedName,
      start,
      end,
      options,
      this.#int64,
    );
    return this.#batches(format, int64, batchSize, from, to) as IterableIterator<BatchByFormat[F]>;
  }

  *#batches(
    format: CanonicalFormat,
    int64: Int64Mode,
    batchSize: number,
    from: TimeBound,
    to: TimeBound,
  ): Generator<unknown> {
    const reader = this.#probeReader();
    if (reader === null || isEmptySpan(from, to)) return;
    // The extent in sequences is fixed once; records overwritten before their batch is read are
    // counted as lost (stats.lostRecords), as in range().
    const first = reader.lowerBound(searchKey(from));
    const stop = reader.lowerBound(searchKey(to));
    for (let at = first; at < stop; at += batchSize) {
      this.#assertOpen();
      yield this.#span(reader, format, at, Math.min(at + batchSize, stop), int64);
    }
  }

  rangeSeq<F extends FormatName = 'tuple'>(
    fromSeq: number,
    toSeq: number,
    options?: ReadOptions<F>,
  ): BatchByFormat[F] {
    this.#assertOpen();
    const { format, from, to } = rangeSeqArgs(this.feedName, fromSeq, toSeq, options);
    const reader = this.#probeReader();
    if (reader === null || to <= from) return this.#empty(format) as BatchByFormat[F];
    // What the ring still holds of [from, to): older records are gone, newer ones not written.
    return this.#span(
      reader,
      format,
      Math.max(from, reader.oldest()),
      Math.min(to, reader.published()),
    ) as BatchByFormat[F];
  }

  seqAt(ts: number | bigint): number {
    this.#assertOpen();
    const bound = timeBoundArg(this.feedName, 'ts', ts);
    const reader = this.#probeReader();
    return reader === null ? 0 : reader.lowerBound(searchKey(bound));
  }

  nextSeq(): number {
    this.#assertOpen();
    return this.#probeReader()?.published() ?? 0;
  }

  latest<F extends FormatName = 'tuple'>(seconds = 60, options?: ReadOptions<F>): BatchByFormat[F] {
    this.#assertOpen();
    const { format } = latestArgs(this.feedName, seconds, options);
    const reader = this.#probeReader();
    if (reader === null) return this.#empty(format) as BatchByFormat[F];
    for (;;) {
      const published = reader.published();
      if (published <= reader.firstSequence) return this.#empty(format) as BatchByFormat[F];
      // null only if the newest record was overwritten while we read it: look again.
      const newest = reader.timestampAt(published - 1);
      if (newest === null) continue;
      const from = boundBefore(
        newest,
        () => reader.timestampAt(published - 1, true) ?? BigInt(newest),
        seconds,
        UNITS_PER_SECOND[this.#ctx.config.tsUnit],
      );
      return this.#span(reader, format, reader.lowerBound(searchKey(from)), published) as BatchByFormat[F];
    }
  }

  asOf<F extends StreamFormatName = 'tuple'>(
    ts: number | bigint,
    options?: AsOfOptions<F>,
  ): RecordByFormat[F] | undefined {
    this.#assertOpen();
    const args = asOfArgs(this.feedName, ts, options);
    const format = args.format;
    const after = boundAfter(args.ts);
    const reader = this.#probeReader();
    if (reader === null) return undefined;
    // The first record above ts; the answer is the one before it, if the ring still holds it.
    const next = reader.lowerBound(searchKey(after));
    if (next - 1 < reader.oldest()) return undefined;
    const found = this.#span(reader, format, next - 1, next) as unknown[] | Uint8Array;
    // Overwritten while it was read: the ring no longer holds it.
    if (found.length === 0) return undefined;
    return (format === 'raw' ? found : (found as unknown[])[0]) as RecordByFormat[F];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
    for (const scan of [...this.#scans]) scan.closeForReader();
    for (const cursor of [this.#available, this.#probe]) {
      if (cursor === undefined) continue;
      this.#lostByClosed += cursor.lostRecords;
      cursor.close();
    }
    this.#available = undefined;
    this.#probe = undefined;
    this.#readersTable?.close();
    this.#ctx.unregister(this);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError(this.feedName, 'reader');
  }

  #cursor(start: RingStart): RingCursor {
    const watch = this.#table();
    try {
      return new RingCursor(this.#shmName, this.#onOverrun, start, watch);
    } catch (error) {
      throw translateRingError(this.feedName, error);
    }
  }

  /**
   * The feed's ring readers table, opened (created if absent) once per reader: every cursor watches
   * its ring generation to attach the moment a writer announces the ring, and stream/readAvailable
   * cursors announce themselves in it. Without it (feed directory unwritable or gone, a full disk, a
   * table of another version) cursors still read, unannounced, and probe for an absent ring every
   * millisecond: monitoring must never stop a reader.
   */
  #table(): RingReadersTable | null {
    if (this.#readersTable === undefined) {
      try {
        this.#readersTable = RingReadersTable.open(this.#ctx.feedDir, this.feedName, this.#ctx.fileMode);
      } catch (error) {
        this.#readersTable = null;
        this.#ctx.logger.warn(
          { feed: this.feedName, error: (error as Error).message },
          'ring readers table unavailable; this reader will not show in feedStatus',
        );
      }
    }
    return this.#readersTable;
  }

  /**
   * Gives a stream/readAvailable cursor a slot in the feed's ring readers table, so other processes
   * see its lag and losses. Without one (table full or unavailable) the cursor still reads,
   * unannounced.
   */
  #announced(cursor: RingCursor, kind: RingCursorKind): RingCursor {
    const slot = this.#table()?.claim(kind) ?? null;
    if (slot !== null) cursor.announceIn(slot);
    return cursor;
  }

  #probeReader(): RingReader | null {
    this.#probe ??= this.#cursor('none');
    return this.#probe.reader();
  }

  #recordDecoder(format: Exclude<CanonicalFormat, 'columnar'>, int64 = this.#int64): Decode {
    const codec = this.#codec;
    const size = this.recordSize;
    if (format === 'tuple') return (view, byteOffset) => codec.decodeTuple(view, byteOffset, int64);
    if (format === 'object') return (view, byteOffset) => codec.decodeObject(view, byteOffset, int64);
    // A copy: the slot is overwritten once the writer laps it.
    return (view, byteOffset) => new Uint8Array(view.buffer.slice(byteOffset, byteOffset + size));
  }

  /** Records [from, to) that the ring still holds when read (losses meanwhile are counted). */
  #span(reader: RingReader, format: CanonicalFormat, from: number, to: number, int64 = this.#int64): unknown {
    if (to <= from) return this.#empty(format);
    try {
      reader.seek(from);
    } catch (error) {
      throw translateRingError(this.feedName, error);
    }
    return this.#read(reader, format, to - from, int64);
  }

  /** Reads up to `count` validated records at the reader's cursor, in one batch of `format`. */
  #read(reader: RingReader, format: CanonicalFormat, count: number, int64 = this.#int64): unknown {
    const end = reader.position + count;
    try {
      if (format === 'tuple' || format === 'object') {
        const out: unknown[] = [];
        const decode = this.#recordDecoder(format, int64);
        while (reader.position < end && reader.readEach(decode, out, end - reader.position) > 0) {}
        return out;
      }
      const size = this.recordSize;
      const bytes = new Uint8Array(count * size);
      let filled = 0;
      while (reader.position < end) {
        const n = reader.readInto(bytes.subarray(filled * size), end - reader.position);
        if (n === 0) break;
        filled += n;
      }
      const records = filled === count ? bytes : bytes.subarray(0, filled * size);
      if (format === 'raw') return records;
      const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
      return decodeBatch(
        this.#codec,
        'columnar',
        int64,
        { total: filled, forEach: (visit) => visit(view, 0, filled) },
        this.#decodeThreads,
      );
    } catch (error) {
      // A large columnar result is one native allocation: its ENOMEM names the feed and size.
      if (isOutOfMemory(error))
        rethrowResourceError(error, this.feedName, `allocate a ${format} result of ${count} records`);
      throw translateRingError(this.feedName, error);
    }
  }

  #empty(format: CanonicalFormat): unknown {
    return decodeBatch(this.#codec, format, this.#int64, { total: 0, forEach: () => {} });
  }
}
