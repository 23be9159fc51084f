import type { RingReader } from '@deepwater/ring';
import type { Int64Mode, RecordCodec } from '@deepwater/schema-wasm';
import { closedError } from '../errors.js';
import { decodeBatch } from '../format/batch.js';
import {
  type BatchByFormat,
  type CanonicalFormat,
  type FormatName,
  type RecordByFormat,
  resolveFormat,
  resolveStreamFormat,
  type StreamFormatName,
} from '../format/formats.js';
import type { FeedContext } from '../platform/feed-context.js';
import type {
  ReadAvailableOptions,
  Reader,
  ReaderOptions,
  ReaderStats,
  ReadOptions,
  StreamOptions,
} from '../reader/reader.js';
import { checkCallOptions, resolveReaderOptions, streamSignal } from '../reader/reader-options.js';
import { NO_RECORD, RecordStream, type StreamSource } from '../reader/record-stream.js';
import {
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

/** Records decoded per refill of a stream's queue while it is catching up: amortises the calls. */
const STREAM_BATCH = 256;
/** The ring's lower-bound key for a bound: exact (a bigint) only where a number would round. */
function searchKey(bound: TimeBound): number | bigint {
  return bound.exact ?? bound.approx;
}

/** Marks a record below a stream's start timestamp (dropped before it reaches the caller). */
const BEFORE_START: unique symbol = Symbol('deepwater.beforeStart');

type Decode = (view: DataView, byteOffset: number) => unknown;

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
  #available: RingCursor | undefined;
  #probe: RingCursor | undefined;
  /** Where stream/readAvailable cursors announce themselves; undefined until the first one. */
  #readersTable: RingReadersTable | null | undefined;
  #closed = false;

  constructor(ctx: FeedContext, options: ReaderOptions | undefined) {
    this.#ctx = ctx;
    this.feedName = ctx.feedName;
    this.#codec = ctx.codec;
    this.#readExact = exactTimestampReader(ctx.layout);
    this.fieldNames = ctx.codec.fieldNames;
    this.format = ctx.layout.fmt;
    this.recordSize = ctx.layout.recordSize;
    const resolved = resolveReaderOptions(ctx.feedName, options);
    this.#int64 = resolved.int64;
    this.#decodeThreads = resolved.decodeThreads;
    this.#onOverrun = resolved.onOverrun;
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
    checkCallOptions(this.feedName, 'stream', options, ['start', 'format', 'signal']);
    const signal = streamSignal(this.feedName, options?.signal);
    const format = resolveStreamFormat(options?.format, this.feedName);
    const fromTs =
      options?.start === undefined ? undefined : timeBoundArg(this.feedName, 'start', options.start);
    const cursor = this.#announced(
      this.#cursor(fromTs === undefined ? 'live' : { fromTs: searchKey(fromTs) }),
      'stream',
    );
    this.#streamCursors.add(cursor);
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
    const queue: unknown[] = [];
    let head = 0;
    // A stream that found nothing last time waits at the live head: it takes the record that
    // arrives alone with readOne (no queue to empty, and no look at the slot after it, whose
    // cache line is usually cold) and hands it over. Once records are found it reads on in batches.
    let catchingUp = false;
    const source: StreamSource<unknown> = {
      tryNext: () => {
        for (;;) {
          while (head < queue.length) {
            const record = queue[head++];
            if (record === BEFORE_START) continue;
            filtering = false;
            return record;
          }
          // The queue is drained, so the cursor's position is exactly what the caller has taken.
          cursor.announce();
          const reader = cursor.reader();
          if (reader === null) return NO_RECORD;
          try {
            if (!catchingUp) {
              const record = reader.readOne(filtering ? decodeFiltered : decodeRecord, NO_RECORD);
              if (record === NO_RECORD) return NO_RECORD;
              catchingUp = true;
              if (record === BEFORE_START) continue;
              filtering = false;
              return record;
            }
            if (queue.length !== 0) {
              queue.length = 0; // a runtime call (~20-50 ns): only when there is something to drop
              head = 0;
            }
            if (reader.readEach(filtering ? decodeFiltered : decodeRecord, queue, STREAM_BATCH) === 0) {
              catchingUp = false;
              return NO_RECORD;
            }
          } catch (error) {
            throw translateRingError(this.feedName, error);
          }
        }
      },
      waitAsync: (timeoutMs) => (this.#closed ? Promise.resolve() : cursor.waitAsync(timeoutMs)),
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
    checkCallOptions(this.feedName, 'readAvailable', options, ['format', 'maxRecords']);
    const format = resolveFormat(options?.format, this.feedName);
    const max = options?.maxRecords ?? Number.POSITIVE_INFINITY;
    if (typeof max !== 'number' || !(max >= 0)) {
      throw new RangeError(
        `Feed "${this.feedName}": readAvailable maxRecords must be a number >= 0, got ${String(max)}`,
      );
    }
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
    checkCallOptions(this.feedName, 'range', options, ['format']);
    const format = resolveFormat(options?.format, this.feedName);
    const from = timeBoundArg(this.feedName, 'start', start);
    const to = timeBoundArg(this.feedName, 'end', end);
    const reader = this.#probeReader();
    if (reader === null || isEmptySpan(from, to)) return this.#empty(format) as BatchByFormat[F];
    return this.#span(
      reader,
      format,
      reader.lowerBound(searchKey(from)),
      reader.lowerBound(searchKey(to)),
    ) as BatchByFormat[F];
  }

  latest<F extends FormatName = 'tuple'>(seconds = 60, options?: ReadOptions<F>): BatchByFormat[F] {
    this.#assertOpen();
    checkCallOptions(this.feedName, 'latest', options, ['format']);
    const format = resolveFormat(options?.format, this.feedName);
    if (typeof seconds !== 'number' || !(seconds >= 0)) {
      throw new RangeError(
        `Feed "${this.feedName}": latest(seconds) needs a number >= 0, got ${String(seconds)}`,
      );
    }
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

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
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
    try {
      return new RingCursor(this.#shmName, this.#onOverrun, start);
    } catch (error) {
      throw translateRingError(this.feedName, error);
    }
  }

  /**
   * Gives a stream/readAvailable cursor a slot in the feed's ring readers table, so other processes
   * see its lag and losses. Without one (table full, feed directory gone, a table of another
   * version) the cursor still reads, unannounced: monitoring must never stop a reader.
   */
  #announced(cursor: RingCursor, kind: RingCursorKind): RingCursor {
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
    const slot = this.#readersTable?.claim(kind) ?? null;
    if (slot !== null) cursor.announceIn(slot);
    return cursor;
  }

  #probeReader(): RingReader | null {
    this.#probe ??= this.#cursor('none');
    return this.#probe.reader();
  }

  #recordDecoder(format: Exclude<CanonicalFormat, 'columnar'>): Decode {
    const codec = this.#codec;
    const int64 = this.#int64;
    const size = this.recordSize;
    if (format === 'tuple') return (view, byteOffset) => codec.decodeTuple(view, byteOffset, int64);
    if (format === 'object') return (view, byteOffset) => codec.decodeObject(view, byteOffset, int64);
    // A copy: the slot is overwritten once the writer laps it.
    return (view, byteOffset) => new Uint8Array(view.buffer.slice(byteOffset, byteOffset + size));
  }

  /** Records [from, to) that the ring still holds when read (losses meanwhile are counted). */
  #span(reader: RingReader, format: CanonicalFormat, from: number, to: number): unknown {
    if (to <= from) return this.#empty(format);
    try {
      reader.seek(from);
    } catch (error) {
      throw translateRingError(this.feedName, error);
    }
    return this.#read(reader, format, to - from);
  }

  /** Reads up to `count` validated records at the reader's cursor, in one batch of `format`. */
  #read(reader: RingReader, format: CanonicalFormat, count: number): unknown {
    const end = reader.position + count;
    try {
      if (format === 'tuple' || format === 'object') {
        const out: unknown[] = [];
        const decode = this.#recordDecoder(format);
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
        this.#int64,
        { total: filled, forEach: (visit) => visit(view, 0, filled) },
        this.#decodeThreads,
      );
    } catch (error) {
      throw translateRingError(this.feedName, error);
    }
  }

  #empty(format: CanonicalFormat): unknown {
    return decodeBatch(this.#codec, format, this.#int64, { total: 0, forEach: () => {} });
  }
}
