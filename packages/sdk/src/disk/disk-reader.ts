import { join } from 'node:path';
import type { Int64Mode, RecordCodec } from '@deepwater/schema-wasm';
import { closedError, OverrunError, rethrowResourceError } from '../errors.js';
import { decodeBatch, type SegmentSource } from '../format/batch.js';
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
import { FEED_REGISTRY_FILE, READERS_FILE } from '../registry/layout.js';
import { ChunkCache } from './chunk-cache.js';
import { DATA_OFFSET } from './chunk-layout.js';
import { DiskCursor } from './disk-cursor.js';
import { FeedRegistry } from './feed-registry.js';
import { waitForSignal } from './feed-waiter.js';
import { ReadersTable } from './readers-table.js';
import { assertRegistryConsistent } from './registry-check.js';
import { type FeedPosition, lowerBoundExact, oldestChunkId, seekLowerBound } from './seek.js';
import { nextSeqOf, seekSeq } from './seq.js';

/** The runs of a disk scan, chunk by chunk, read in place from the reader's cached mappings. */
class DiskScanSource implements ScanSource {
  /** Undefined only in the shape anchor below. */
  readonly #cache: ChunkCache | undefined;
  readonly #segments: readonly Segment[];
  #next = 0;

  constructor(cache: ChunkCache | undefined, segments: readonly Segment[]) {
    this.#cache = cache;
    this.#segments = segments;
  }

  nextRun(): ScanRun | undefined {
    const cache = this.#cache;
    while (cache !== undefined && this.#next < this.#segments.length) {
      const s = this.#segments[this.#next++] as Segment;
      const chunk = cache.mapForScan(() => cache.get(s.chunkId));
      // Removed between the search and the read: the records are gone (as in range()).
      if (chunk === undefined) continue;
      // The view reads the mapping itself: the cache must not unmap it while the view holds it.
      cache.lend(chunk);
      // Populated off this thread: this chunk (if its populate has not started) and the next one,
      // whose populate then runs while this one is read.
      cache.populateAhead(chunk);
      const ahead = this.#segments[this.#next];
      const next = ahead === undefined ? undefined : cache.mapForScan(() => cache.get(ahead.chunkId));
      if (next !== undefined) cache.populateAhead(next);
      return {
        buffer: chunk.view.buffer,
        byteOffset: chunk.recordOffset(s.from),
        count: s.to - s.from,
        firstSeq: chunk.firstSeq + s.from, // the chunk header's firstSeq (format v2)
      };
    }
    return undefined;
  }

  close(): void {}
}

// A source holding nothing, kept for its class's map: a gc() between two scans must not
// deoptimise the caller's loop that inlined its close() at a scan's end (see keepShapeAlive).
keepShapeAlive(new DiskScanSource(undefined, []));

interface Segment {
  chunkId: number;
  from: number;
  to: number;
}

/**
 * DiskReader — reads a persist:true feed from its mapped chunks without ever talking to the writer.
 * Owns its cursors: each stream() has one, readAvailable() keeps one; range()/latest() are
 * stateless searches. Maps chunks lazily and unmaps what it has passed.
 */
export class DiskReader implements Reader {
  readonly feedName: string;
  readonly fieldNames: readonly string[];
  readonly format: string;
  readonly recordSize: number;
  readonly spec: FeedConfig;
  readonly stats: ReaderStats = { lostRecords: 0 };
  readonly #ctx: FeedContext;
  readonly #codec: RecordCodec;
  readonly #readExact: ExactTimestampReader;
  readonly #int64: Int64Mode;
  readonly #decodeThreads: number;
  readonly #onOverrun: 'skip' | 'throw';
  readonly #registry: FeedRegistry;
  readonly #readers: ReadersTable;
  readonly #cache: ChunkCache;
  readonly #streams = new Set<RecordStream<unknown>>();
  readonly #scans = new Set<RecordScan>();
  #available: DiskCursor | undefined;
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
    this.#registry = new FeedRegistry(join(ctx.feedDir, FEED_REGISTRY_FILE), ctx.feedName);
    try {
      assertRegistryConsistent(this.#registry, ctx.feedDir, ctx.feedName, ctx.layout.recordSize);
      const registry = this.#registry;
      this.#readers = new ReadersTable(
        join(ctx.feedDir, READERS_FILE),
        (n) => registry.addWaiters(-n),
        ctx.fileMode,
      );
    } catch (error) {
      this.#registry.close();
      throw error;
    }
    this.#cache = new ChunkCache(ctx.feedDir, ctx.feedName, {
      useIndexes: ctx.config.mode === 'IF',
      geometry: this.#registry.chunkGeometry(),
    });
    ctx.register(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError(this.feedName, 'reader');
  }

  /** Where a live-only read starts: after the last record published at the time of the call. */
  #livePosition(): FeedPosition {
    const last = this.#registry.lastChunkIdAcquire();
    if (last === 0) return { chunkId: 0, index: 0 };
    const chunk = this.#cache.get(last);
    // If the writer rotates right after, this chunk's count below is final and the cursor moves on.
    return { chunkId: last, index: chunk === undefined ? 0 : chunk.committedAcquire() };
  }

  #newCursor(start: FeedPosition, lendsViews = false): DiskCursor {
    return new DiskCursor(this.#registry, this.#ctx.feedDir, this.feedName, this.#readers, start, {
      lendsViews,
    });
  }

  stream<F extends StreamFormatName = 'tuple'>(options?: StreamOptions<F>): RecordStream<RecordByFormat[F]> {
    this.#assertOpen();
    const { format, signal, start: startTs, fromSeq } = streamArgs(this.feedName, options);
    const start =
      fromSeq !== undefined
        ? this.#seqStart(fromSeq)
        : startTs === undefined
          ? this.#livePosition()
          : seekLowerBound(this.#registry, this.#cache, this.#codec, this.#readExact, startTs);
    const cursor = this.#newCursor(start, format === 'raw');
    // If no record >= start existed yet, later records may still be older than start: skip those
    // until the first one >= start (timestamps never decrease, so one check per record until then).
    let skipBelow = startTs;
    // The same for a seq not written yet: the cursor waits at the live end and skips up to it.
    let skipToSeq = fromSeq;
    // Whether a record was yielded: lastSeq is then the seq just behind the cursor (no skip follows a yield).
    let yielded = false;
    const codec = this.#codec;
    const readExact = this.#readExact;
    const int64 = this.#int64;
    const recordSize = this.recordSize;
    const decode =
      format === 'tuple'
        ? (c: DiskCursor) => codec.decodeTuple(c.view, c.byteOffset, int64)
        : format === 'object'
          ? (c: DiskCursor) => codec.decodeObject(c.view, c.byteOffset, int64)
          : (c: DiskCursor) => c.bytes.subarray(c.byteOffset, c.byteOffset + recordSize);
    // Its own function: it runs only until the first record >= start, and keeps tryNext as small as
    // it was before the exact compare (with the loop inline, some replay runs measured slower).
    const reachedStart = (bound: TimeBound): boolean => {
      while (
        isBelow(
          codec.readTimestamp(cursor.view, cursor.byteOffset),
          bound,
          readExact,
          cursor.view,
          cursor.byteOffset,
        )
      ) {
        cursor.skip(1);
        if (!cursor.ready()) return false;
      }
      skipBelow = undefined;
      return true;
    };
    const reachedSeq = (target: number): boolean => {
      for (let behind = target - cursor.seq; behind > 0; behind = target - cursor.seq) {
        cursor.skip(Math.min(behind, cursor.readyInChunk));
        if (!cursor.ready()) return false;
      }
      skipToSeq = undefined;
      return true;
    };
    const source: StreamSource<unknown> = {
      tryNext: () => {
        if (!cursor.ready()) return NO_RECORD;
        if (skipBelow !== undefined && !reachedStart(skipBelow)) return NO_RECORD;
        if (skipToSeq !== undefined && !reachedSeq(skipToSeq)) return NO_RECORD;
        const record = decode(cursor); // decode before advancing: a refused value is not skipped
        yielded = true;
        cursor.skip(1);
        return record;
      },
      lastSeq: () => (yielded ? cursor.previousSeq : -1),
      waitAsync: (timeoutMs) =>
        this.#closed
          ? Promise.resolve()
          : waitForSignal(this.#registry, () => cursor.hasData(), timeoutMs, cursor),
      close: () => cursor.close(),
    };
    const stream = new RecordStream<unknown>(source, () => this.#streams.delete(stream), signal);
    if (!stream.closed) this.#streams.add(stream);
    return stream as RecordStream<RecordByFormat[F]>;
  }

  /**
   * Where `stream({ fromSeq })` starts; seqs the feed no longer holds are counted as lost (or
   * refused with onOverrun: 'throw').
   */
  #seqStart(fromSeq: number): FeedPosition {
    const at = seekSeq(this.#registry, this.#cache, fromSeq);
    if (at.missing > 0) {
      if (this.#onOverrun === 'throw') {
        throw new OverrunError(
          `Feed "${this.feedName}": stream({ fromSeq: ${fromSeq} }) asks for ${at.missing} record(s) the feed no longer holds (the oldest held has seq ${fromSeq + at.missing})`,
          at.missing,
          { feed: this.feedName },
        );
      }
      this.stats.lostRecords += at.missing;
    }
    return { chunkId: at.chunkId, index: at.index };
  }

  rangeSeq<F extends FormatName = 'tuple'>(
    fromSeq: number,
    toSeq: number,
    options?: ReadOptions<F>,
  ): BatchByFormat[F] {
    this.#assertOpen();
    const { format, from, to } = rangeSeqArgs(this.feedName, fromSeq, toSeq, options);
    return this.#decode(format, this.#seqSegments(from, to)) as BatchByFormat[F];
  }

  scanSeq(fromSeq: number, toSeq: number): RecordScan {
    this.#assertOpen();
    const from = seqArg(this.feedName, 'fromSeq', fromSeq);
    const to = seqArg(this.feedName, 'toSeq', toSeq);
    return this.#scanOver(this.#cache.mapForScan(() => this.#seqSegments(from, to)));
  }

  /** Runs of the records with from <= seq < to that the feed still holds, chunk by chunk. */
  #seqSegments(from: number, to: number): Segment[] {
    const segments: Segment[] = [];
    if (to <= from) return segments;
    const start = seekSeq(this.#registry, this.#cache, from);
    const last = this.#registry.lastChunkIdAcquire();
    for (let id = start.chunkId; id <= last && id > 0; id++) {
      const chunk = this.#cache.get(id);
      if (chunk === undefined) continue;
      const first = chunk.firstSeq;
      if (first >= to) break;
      const lo = Math.max(0, from - first);
      const hi = Math.min(chunk.committedAcquire(), to - first);
      if (hi > lo) segments.push({ chunkId: id, from: lo, to: hi });
    }
    return segments;
  }

  seqAt(ts: number | bigint): number {
    this.#assertOpen();
    const bound = timeBoundArg(this.feedName, 'ts', ts);
    const at = seekLowerBound(this.#registry, this.#cache, this.#codec, this.#readExact, bound);
    const chunk = at.chunkId === 0 ? undefined : this.#cache.get(at.chunkId);
    return chunk === undefined ? this.nextSeq() : chunk.firstSeq + at.index;
  }

  nextSeq(): number {
    this.#assertOpen();
    return nextSeqOf(this.#registry, this.#cache);
  }

  readAvailable<F extends FormatName = 'tuple'>(options?: ReadAvailableOptions<F>): BatchByFormat[F] {
    this.#assertOpen();
    const { format, maxRecords: max } = readAvailableArgs(this.feedName, options);
    if (this.#available === undefined) {
      this.#available = this.#newCursor(this.#livePosition());
      return this.#decode(format, []) as BatchByFormat[F];
    }
    const cursor = this.#available;
    if (max < 1 || !cursor.ready()) return this.#decode(format, []) as BatchByFormat[F];
    const count = Math.min(cursor.readyInChunk, Math.floor(max));
    const view = cursor.view;
    const byteOffset = cursor.byteOffset;
    const result = this.#decodeSource(format, {
      total: count,
      forEach: (visit) => visit(view, byteOffset, count),
    });
    cursor.skip(count);
    return result as BatchByFormat[F];
  }

  range<F extends FormatName = 'tuple'>(
    start: number | bigint,
    end: number | bigint,
    options?: ReadOptions<F>,
  ): BatchByFormat[F] {
    this.#assertOpen();
    const { format, from, to } = rangeArgs(this.feedName, start, end, options);
    if (isEmptySpan(from, to)) return this.#decode(format, []) as BatchByFormat[F];
    return this.#decode(format, this.#segments(from, to)) as BatchByFormat[F];
  }

  scan(start: number | bigint, end: number | bigint): RecordScan {
    this.#assertOpen();
    const { from, to } = spanArgs(this.feedName, start, end);
    if (isEmptySpan(from, to)) return this.#scanOver([]);
    return this.#scanOver(this.#cache.mapForScan(() => this.#segments(from, to)));
  }

  #scanOver(segments: readonly Segment[]): RecordScan {
    return new RecordScan(
      this.feedName,
      recordViewControl(this.#codec, this.#int64),
      new DiskScanSource(this.#cache, segments),
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
    // The extent is searched once, on the first next(): the chunk runs are then read a batch at a time.
    const segments = isEmptySpan(from, to) ? [] : this.#segments(from, to);
    for (const s of segments) {
      for (let at = s.from; at < s.to; at += batchSize) {
        this.#assertOpen();
        const chunk = this.#cache.get(s.chunkId);
        if (chunk === undefined) break; // removed meanwhile (retention): its records are gone
        const count = Math.min(batchSize, s.to - at);
        const byteOffset = DATA_OFFSET + at * chunk.recordSize;
        yield this.#decodeSource(
          format,
          { total: count, forEach: (visit) => visit(chunk.view, byteOffset, count) },
          int64,
        );
      }
    }
  }

  latest<F extends FormatName = 'tuple'>(seconds = 60, options?: ReadOptions<F>): BatchByFormat[F] {
    this.#assertOpen();
    const { format } = latestArgs(this.feedName, seconds, options);
    const from = this.#newestMinus(seconds);
    if (from === undefined) return this.#decode(format, []) as BatchByFormat[F];
    return this.#decode(format, this.#segments(from, undefined)) as BatchByFormat[F];
  }

  asOf<F extends StreamFormatName = 'tuple'>(
    ts: number | bigint,
    options?: AsOfOptions<F>,
  ): RecordByFormat[F] | undefined {
    this.#assertOpen();
    const args = asOfArgs(this.feedName, ts, options);
    const format = args.format;
    const after = boundAfter(args.ts);
    // The first record above ts; the answer is the record before it (in this chunk or an earlier one).
    const next = seekLowerBound(this.#registry, this.#cache, this.#codec, this.#readExact, after);
    const registry = this.#registry;
    const oldest = oldestChunkId(registry, registry.lastChunkIdAcquire());
    for (let id = next.chunkId, index = next.index; id >= oldest && id > 0; id--) {
      const chunk = this.#cache.get(id);
      // Removed (retention, repair): its records are gone, look further back.
      if (chunk !== undefined) {
        const at = id === next.chunkId ? Math.min(index, chunk.committedAcquire()) : chunk.committedAcquire();
        if (at > 0)
          return this.#decodeOne(format, chunk.view, chunk.recordOffset(at - 1)) as RecordByFormat[F];
      }
      index = 0;
    }
    return undefined;
  }

  #decodeOne(format: Exclude<CanonicalFormat, 'columnar'>, view: DataView, byteOffset: number): unknown {
    if (format === 'tuple') return this.#codec.decodeTuple(view, byteOffset, this.#int64);
    if (format === 'object') return this.#codec.decodeObject(view, byteOffset, this.#int64);
    // A copy: the chunk may be unmapped (retention) while the caller holds it.
    return new Uint8Array(
      view.buffer.slice(view.byteOffset + byteOffset, view.byteOffset + byteOffset + this.recordSize),
    );
  }

  /**
   * The bound `newest − seconds` in the feed's time unit (tsUnit), exact for any 64-bit newest
   * timestamp; undefined for an empty feed.
   */
  #newestMinus(seconds: number): TimeBound | undefined {
    const registry = this.#registry;
    const last = registry.lastChunkIdAcquire();
    for (let id = last; id >= oldestChunkId(registry, last) && id > 0; id--) {
      const chunk = this.#cache.get(id);
      if (chunk === undefined) continue;
      const count = chunk.committedAcquire();
      if (count === 0) continue;
      const offset = DATA_OFFSET + (count - 1) * chunk.recordSize;
      return boundBefore(
        this.#codec.readTimestamp(chunk.view, offset),
        () => this.#readExact(chunk.view, offset),
        seconds,
        UNITS_PER_SECOND[this.#ctx.config.tsUnit],
      );
    }
    return undefined;
  }

  /** Runs of records with from <= ts < to (to undefined: no end), chunk by chunk. */
  #segments(from: TimeBound, to: TimeBound | undefined): Segment[] {
    const codec = this.#codec;
    const readExact = this.#readExact;
    const start = seekLowerBound(this.#registry, this.#cache, codec, readExact, from);
    const segments: Segment[] = [];
    if (start.chunkId === 0) return segments;
    const last = this.#registry.lastChunkIdAcquire();
    let index = start.index;
    for (let id = start.chunkId; id <= last; id++, index = 0) {
      const chunk = this.#cache.get(id);
      if (chunk === undefined) continue;
      const count = chunk.committedAcquire();
      const stop =
        to === undefined ? count : lowerBoundExact(codec, readExact, chunk, to, index, count, true);
      if (stop > index) segments.push({ chunkId: id, from: index, to: stop });
      if (stop < count) break;
    }
    return segments;
  }

  #decode(format: CanonicalFormat, segments: readonly Segment[]): unknown {
    if (format === 'raw' && segments.length === 1) {
      // Contiguous: a zero-copy view, valid for as long as the caller holds it.
      const s = segments[0];
      const chunk = this.#cache.get(s.chunkId);
      if (chunk !== undefined) {
        this.#cache.lend(chunk);
        return chunk.bytes.subarray(chunk.recordOffset(s.from), chunk.recordOffset(s.to));
      }
    }
    if (format === 'tuple' || format === 'object') return this.#decodeRows(format, segments);
    let total = 0;
    for (const s of segments) total += s.to - s.from;
    return this.#decodeSource(format, {
      total,
      forEach: (visit) => {
        for (const s of segments) {
          const chunk = this.#cache.get(s.chunkId);
          // Removed between the search and the copy: the records are gone (the result is shorter).
          if (chunk === undefined) continue;
          visit(chunk.view, DATA_OFFSET + s.from * chunk.recordSize, s.to - s.from);
        }
      },
    });
  }

  /**
   * Tuples or objects, segment by segment straight into one array: what decodeBatch makes of the
   * segments, without its source object and closures. A time seek's range(t, t + 10) decodes one
   * record, and those were 344 of the 900 bytes it allocated (sampled with the heap profiler).
   */
  #decodeRows(format: 'tuple' | 'object', segments: readonly Segment[]): unknown[] {
    let total = 0;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      total += s.to - s.from;
    }
    const out: unknown[] = new Array(total);
    let k = 0;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      const chunk = this.#cache.get(s.chunkId);
      // Removed between the search and the copy: the records are gone (the result is shorter).
      if (chunk === undefined) continue;
      const byteOffset = DATA_OFFSET + s.from * chunk.recordSize;
      k =
        format === 'tuple'
          ? this.#codec.decodeTuples(chunk.view, byteOffset, s.to - s.from, this.#int64, out, k)
          : this.#codec.decodeObjects(
              chunk.view,
              byteOffset,
              s.to - s.from,
              this.#int64,
              out as Record<string, unknown>[],
              k,
            );
    }
    out.length = k; // a segment whose chunk was removed meanwhile leaves no holes
    return out;
  }

  #decodeSource(format: CanonicalFormat, source: SegmentSource, int64: Int64Mode = this.#int64): unknown {
    try {
      return decodeBatch(this.#codec, format, int64, source, this.#decodeThreads);
    } catch (error) {
      // A large raw or columnar result is one native allocation: its ENOMEM names the feed and size.
      rethrowResourceError(error, this.feedName, `allocate a ${format} result of ${source.total} records`);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
    for (const scan of [...this.#scans]) scan.closeForReader();
    this.#available?.close();
    this.#cache.close();
    this.#readers.close();
    this.#registry.close();
    this.#ctx.unregister(this);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
