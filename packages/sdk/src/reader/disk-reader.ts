import { join } from 'node:path';
import type { Int64Mode, RecordCodec } from '@deepwater/schema-wasm';
import { DATA_OFFSET } from '../chunk/layout.js';
import { closedError } from '../errors.js';
import { decodeBatch, type SegmentSource } from '../format/batch.js';
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
import { FeedRegistry, WAITERS_INDEX } from '../registry/feed-registry.js';
import { FEED_REGISTRY_FILE, READERS_FILE } from '../registry/layout.js';
import { ReadersTable } from '../registry/readers-table.js';
import { assertRegistryConsistent } from '../registry/registry-check.js';
import { ChunkCache } from './chunk-cache.js';
import { DiskCursor } from './disk-cursor.js';
import { waitForSignal } from './feed-waiter.js';
import type {
  ReadAvailableOptions,
  Reader,
  ReaderOptions,
  ReaderStats,
  ReadOptions,
  StreamOptions,
} from './reader.js';
import { checkCallOptions, resolveReaderOptions, streamSignal } from './reader-options.js';
import { NO_RECORD, RecordStream, type StreamSource } from './record-stream.js';
import { type FeedPosition, lowerBoundExact, oldestChunkId, seekLowerBound } from './seek.js';
import {
  boundBefore,
  type ExactTimestampReader,
  exactTimestampReader,
  isBelow,
  isEmptySpan,
  type TimeBound,
  timeBoundArg,
  UNITS_PER_SECOND,
} from './time-bound.js';

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
  readonly stats: ReaderStats = { lostRecords: 0 };
  readonly #ctx: FeedContext;
  readonly #codec: RecordCodec;
  readonly #readExact: ExactTimestampReader;
  readonly #int64: Int64Mode;
  readonly #decodeThreads: number;
  readonly #registry: FeedRegistry;
  readonly #readers: ReadersTable;
  readonly #cache: ChunkCache;
  readonly #streams = new Set<RecordStream<unknown>>();
  #available: DiskCursor | undefined;
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
    this.#registry = new FeedRegistry(join(ctx.feedDir, FEED_REGISTRY_FILE), ctx.feedName);
    try {
      assertRegistryConsistent(this.#registry, ctx.feedDir, ctx.feedName, ctx.layout.recordSize);
      const waiters = this.#registry.words;
      this.#readers = new ReadersTable(
        join(ctx.feedDir, READERS_FILE),
        (n) => Atomics.sub(waiters, WAITERS_INDEX, n),
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
    checkCallOptions(this.feedName, 'stream', options, ['start', 'format', 'signal']);
    const signal = streamSignal(this.feedName, options?.signal);
    const format = resolveStreamFormat(options?.format, this.feedName);
    const startTs =
      options?.start === undefined ? undefined : timeBoundArg(this.feedName, 'start', options.start);
    const start =
      startTs === undefined
        ? this.#livePosition()
        : seekLowerBound(this.#registry, this.#cache, this.#codec, this.#readExact, startTs);
    const cursor = this.#newCursor(start, format === 'raw');
    // If no record >= start existed yet, later records may still be older than start: skip those
    // until the first one >= start (timestamps never decrease, so one check per record until then).
    let skipBelow = startTs;
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
    const source: StreamSource<unknown> = {
      tryNext: () => {
        if (!cursor.ready()) return NO_RECORD;
        if (skipBelow !== undefined && !reachedStart(skipBelow)) return NO_RECORD;
        const record = decode(cursor); // decode before advancing: a refused value is not skipped
        cursor.skip(1);
        return record;
      },
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
    checkCallOptions(this.feedName, 'range', options, ['format']);
    const format = resolveFormat(options?.format, this.feedName);
    const from = timeBoundArg(this.feedName, 'start', start);
    const to = timeBoundArg(this.feedName, 'end', end);
    if (isEmptySpan(from, to)) return this.#decode(format, []) as BatchByFormat[F];
    return this.#decode(format, this.#segments(from, to)) as BatchByFormat[F];
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
    const from = this.#newestMinus(seconds);
    if (from === undefined) return this.#decode(format, []) as BatchByFormat[F];
    return this.#decode(format, this.#segments(from, undefined)) as BatchByFormat[F];
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

  #decodeSource(format: CanonicalFormat, source: SegmentSource): unknown {
    return decodeBatch(this.#codec, format, this.#int64, source, this.#decodeThreads);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
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
