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
import { checkCallOptions, resolveReaderOptions, timestampArg } from './reader-options.js';
import { NO_RECORD, RecordStream, type StreamSource } from './record-stream.js';
import { type FeedPosition, lowerBoundFrom, oldestChunkId, seekLowerBound } from './seek.js';

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
      this.#readers = new ReadersTable(join(ctx.feedDir, READERS_FILE), (n) =>
        Atomics.sub(waiters, WAITERS_INDEX, n),
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
    checkCallOptions(this.feedName, 'stream', options, ['start', 'format']);
    const format = resolveStreamFormat(options?.format, this.feedName);
    const startTs =
      options?.start === undefined ? undefined : timestampArg(this.feedName, 'start', options.start);
    const start =
      startTs === undefined
        ? this.#livePosition()
        : seekLowerBound(this.#registry, this.#cache, this.#codec, startTs);
    const cursor = this.#newCursor(start, format === 'raw');
    // If no record >= start existed yet, later records may still be older than start: skip those
    // until the first one >= start (timestamps never decrease, so one check per record until then).
    let skipBelow = startTs;
    const codec = this.#codec;
    const int64 = this.#int64;
    const recordSize = this.recordSize;
    const decode =
      format === 'tuple'
        ? (c: DiskCursor) => codec.decodeTuple(c.view, c.byteOffset, int64)
        : format === 'object'
          ? (c: DiskCursor) => codec.decodeObject(c.view, c.byteOffset, int64)
          : (c: DiskCursor) => c.bytes.subarray(c.byteOffset, c.byteOffset + recordSize);
    const source: StreamSource<unknown> = {
      tryNext: () => {
        if (!cursor.ready()) return NO_RECORD;
        if (skipBelow !== undefined) {
          while (codec.readTimestamp(cursor.view, cursor.byteOffset) < skipBelow) {
            cursor.skip(1);
            if (!cursor.ready()) return NO_RECORD;
          }
          skipBelow = undefined;
        }
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
    const stream = new RecordStream<unknown>(source, () => this.#streams.delete(stream));
    this.#streams.add(stream);
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
    const from = timestampArg(this.feedName, 'start', start);
    const to = timestampArg(this.feedName, 'end', end);
    if (!(to > from)) return this.#decode(format, []) as BatchByFormat[F];
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
    const newest = this.#newestTimestamp();
    if (newest === undefined) return this.#decode(format, []) as BatchByFormat[F];
    return this.#decode(
      format,
      this.#segments(newest - seconds * 1e6, Number.POSITIVE_INFINITY),
    ) as BatchByFormat[F];
  }

  /** Timestamp of the newest published record, or undefined for an empty feed. */
  #newestTimestamp(): number | undefined {
    const registry = this.#registry;
    const last = registry.lastChunkIdAcquire();
    for (let id = last; id >= oldestChunkId(registry, last) && id > 0; id--) {
      const chunk = this.#cache.get(id);
      if (chunk === undefined) continue;
      const count = chunk.committedAcquire();
      if (count > 0)
        return this.#codec.readTimestamp(chunk.view, DATA_OFFSET + (count - 1) * chunk.recordSize);
    }
    return undefined;
  }

  /** Runs of records with from <= ts < to, chunk by chunk (each a lower-bound search). */
  #segments(from: number, to: number): Segment[] {
    const codec = this.#codec;
    const start = seekLowerBound(this.#registry, this.#cache, codec, from);
    const segments: Segment[] = [];
    if (start.chunkId === 0) return segments;
    const last = this.#registry.lastChunkIdAcquire();
    let index = start.index;
    for (let id = start.chunkId; id <= last; id++, index = 0) {
      const chunk = this.#cache.get(id);
      if (chunk === undefined) continue;
      const count = chunk.committedAcquire();
      const stop = to === Number.POSITIVE_INFINITY ? count : lowerBoundFrom(codec, chunk, to, index, count);
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
