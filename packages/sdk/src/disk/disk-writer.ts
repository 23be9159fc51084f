import { dirname, join } from 'node:path';
import { type FileLock, fsyncPath } from '@deepwater/storage-native';
import { closedError, DeepwaterError, rethrowResourceError } from '../errors.js';
import type { FeedContext } from '../platform/feed-context.js';
import { type ExactTimestampReader, exactTimestampReader } from '../reader/time-bound.js';
import { CHUNK_CLOSED, CHUNK_FULL, FEED_REGISTRY_FILE, READERS_FILE } from '../registry/layout.js';
import {
  checkOrder as checkOrderImport,
  isTupleRow as isTupleRowImport,
  notARowError,
  type Row,
  validateBatch,
} from '../writer/batch-rows.js';
import {
  type BulkSource,
  type ColumnInput,
  checkOrderAfter,
  columnSource,
  rawSource,
} from '../writer/bulk-source.js';
import {
  rawTimestamp as rawTimestampImport,
  refuseOutOfOrder as refuseOutOfOrderImport,
} from '../writer/timestamp-order.js';
import type { Durability, Writer, WriterOptions } from '../writer/writer.js';
import { ChunkFile } from './chunk-file.js';
import { ChunkIndexBuilder, indexStride } from './chunk-index.js';
import {
  C_COMMITTED_COUNT_INDEX as COUNT_INDEX_IMPORT,
  DATA_OFFSET as DATA_OFFSET_IMPORT,
} from './chunk-layout.js';
import { FeedRegistry } from './feed-registry.js';
import { mapEvictingOnce } from './mapping-budget.js';
import { ReadersTable } from './readers-table.js';
import { recoverWriterState } from './recovery.js';
import { assertRegistryConsistent } from './registry-check.js';

// Module-local copies of what the per-record paths use from other modules: V8 folds a module's own
// consts into optimized code, but loads an imported binding from its module cell, with a TDZ check,
// at every use (and checks a called one against the inlined target).
const isTupleRow = isTupleRowImport;
const checkOrder = checkOrderImport;
const rawTimestamp = rawTimestampImport;
const refuseOutOfOrder = refuseOutOfOrderImport;
const C_COMMITTED_COUNT_INDEX = COUNT_INDEX_IMPORT;
const DATA_OFFSET = DATA_OFFSET_IMPORT;

/**
 * lastAppendUs is stamped by the first record or batch after an idle timer period, once this many
 * records were published since the last stamp, and by the timer when records were published
 * since — never per record or per batch: a Date.now() and a registry store per small batch were a
 * visible share of a feed handler's per-message cost.
 */
const CLOCK_EVERY_RECORDS = 256;
const CLOCK_TIMER_MS = 250;
const DEFAULT_SYNC_INTERVAL_MS = 1000;
/** A bulk write's run from this size up is populated writable (MADV_POPULATE_WRITE) before the copy. */
const POPULATE_MIN_BYTES = 256 * 1024;

/**
 * DiskWriter — the single writer of a persist:true feed (one per feed across processes, enforced
 * by the kernel lock it holds). Appends into the current chunk's mapping, then publishes the new
 * committed count with one Atomics.store per call (per batch for writeBatch). When a record does
 * not fit, it rotates: the next chunk is created and registered before the old one is sealed.
 */
export class DiskWriter implements Writer {
  readonly feedName: string;
  readonly #ctx: FeedContext;
  readonly #lock: FileLock;
  readonly #registry: FeedRegistry;
  readonly #codec: FeedContext['codec'];
  // Numbers from the start (not undefined, as an ES2022 field without initializer): V8 then keeps
  // them as numbers in place instead of boxing a new heap number per write of a large timestamp.
  readonly #tsIndex: number = 0;
  /** Byte offset of the timestamp column in a record (exact first/last ts copies in the registry). */
  readonly #tsOffset: number = 0;
  readonly #recordSize: number = 0;
  readonly #capacity: number = 0;
  readonly #durability: Durability;
  #chunk: ChunkFile;
  #view: DataView;
  #countWords: Int32Array;
  #count = 0;
  #chunkFirstTs = 0;
  #lastTs = 0;
  /** Reads a record's exact timestamp: the order check's slow path beyond 2^53. */
  readonly #readExact: ExactTimestampReader;
  /** The previous record's exact timestamp for writeBatch's order check, read only when asked. */
  readonly #previousExact = (): bigint | undefined => this.#lastExact();
  #closed = false;
  /**
   * The current chunk's file shrank under its mapping (a populate failed with EFAULT): any touch
   * of the missing pages would raise SIGBUS, so close() must not read the chunk's records.
   */
  #chunkShrunk = false;
  #sinceClock = 0;
  #dirtyClock = false;
  /** No record for a whole timer period (or none yet): the next one is stamped at once. */
  #clockIdle = true;
  #dirtySync = false;
  #clockTimer: NodeJS.Timeout;
  #syncTimer: NodeJS.Timeout | undefined;
  /** Mode 'IF' only: the sparse time index of the current chunk. */
  readonly #indexer: ChunkIndexBuilder | undefined;
  readonly #readers: ReadersTable;
  /** writeBatch's validated timestamps, reused across calls (grown to the largest batch). */
  #stamps = new Float64Array(64);
  /** Bound once: validateBatch's per-row callback, so a batch allocates no closure. */
  readonly #stamp = (index: number, ts: number): void => {
    this.#stamps[index] = ts;
  };

  constructor(ctx: FeedContext, lock: FileLock, options: WriterOptions = {}) {
    this.#ctx = ctx;
    this.feedName = ctx.feedName;
    this.#lock = lock;
    this.#codec = ctx.codec;
    this.#tsIndex = ctx.layout.tsIndex;
    this.#tsOffset = ctx.layout.tsOffset;
    this.#recordSize = ctx.layout.recordSize;
    this.#readExact = exactTimestampReader(ctx.layout);
    this.#durability = options.durability ?? ctx.config.durability;
    this.#registry = new FeedRegistry(join(ctx.feedDir, FEED_REGISTRY_FILE), ctx.feedName);
    try {
      assertRegistryConsistent(this.#registry, ctx.feedDir, ctx.feedName, ctx.layout.recordSize);
      this.#capacity = this.#registry.recordsPerChunk;
      const state = recoverWriterState(ctx, this.#registry);
      this.#chunk = state.chunk;
      this.#count = state.count;
      this.#chunkFirstTs = state.chunkFirstTs;
      this.#lastTs = state.lastTs;
    } catch (error) {
      this.#registry.close();
      throw error;
    }
    if (ctx.config.mode === 'IF') {
      this.#indexer = new ChunkIndexBuilder(indexStride(this.#capacity));
      this.#indexer.rebuild(this.#codec, this.#chunk, this.#count);
    }
    this.#view = this.#chunk.view;
    this.#countWords = this.#chunk.headerWords;
    this.#registry.setWriterPid(process.pid);
    const registry = this.#registry;
    this.#readers = new ReadersTable(
      join(ctx.feedDir, READERS_FILE),
      (n) => registry.addWaiters(-n),
      ctx.fileMode,
    );
    this.#clockTimer = setInterval(() => {
      // Only after a publication: lastAppendUs must age while the writer is idle.
      if (this.#dirtyClock) this.#refreshClock();
      else this.#clockIdle = true;
      this.#readers.reapDead();
    }, CLOCK_TIMER_MS);
    this.#clockTimer.unref();
    const interval = options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    if (this.#durability !== 'page-cache' && interval > 0) {
      this.#syncTimer = setInterval(() => this.#backgroundSync(), interval);
      this.#syncTimer.unref();
    }
    ctx.register(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  writeValues(...values: unknown[]): void {
    this.writeTuple(values);
  }

  writeTuple(values: ArrayLike<unknown>): void {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    const raw = values == null ? undefined : values[this.#tsIndex];
    const ts = rawTimestamp(raw);
    if (ts <= this.#lastTs) refuseOutOfOrder(this.#ctx, ts, this.#lastTs, raw, this.#previousExact); // one compare unless it ties or decreases
    if (this.#count === this.#capacity) {
      this.#codec.validateTuple(values); // never rotate for a record that will be refused
      this.#rotate();
    }
    const written = this.#codec.encodeTuple(this.#view, DATA_OFFSET + this.#count * this.#recordSize, values);
    this.#commitOne(written);
  }

  writeDict(record: Readonly<Record<string, unknown>>): void {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    const raw = record == null ? undefined : record[this.#ctx.layout.tsCol];
    const ts = rawTimestamp(raw);
    if (ts <= this.#lastTs) refuseOutOfOrder(this.#ctx, ts, this.#lastTs, raw, this.#previousExact); // one compare unless it ties or decreases
    if (this.#count === this.#capacity) {
      this.#codec.validateObject(record);
      this.#rotate();
    }
    const written = this.#codec.encodeObject(
      this.#view,
      DATA_OFFSET + this.#count * this.#recordSize,
      record,
    );
    this.#commitOne(written);
  }

  /**
   * The exact timestamp of the last record written, read back from the data (nothing is tracked per
   * record): the current chunk's last record, or at a chunk's start the previous chunk's.
   */
  #lastExact(): bigint | undefined {
    if (this.#count > 0)
      return this.#readExact(this.#view, DATA_OFFSET + (this.#count - 1) * this.#recordSize);
    const previous = ChunkFile.open(this.#ctx.feedDir, this.#chunk.id - 1, this.feedName, { readOnly: true });
    if (previous === undefined) return undefined;
    try {
      const count = previous.committedAcquire();
      return count === 0
        ? undefined
        : this.#readExact(previous.view, DATA_OFFSET + (count - 1) * previous.recordSize);
    } finally {
      previous.close();
    }
  }

  #commitOne(ts: number): void {
    if (this.#count === 0) {
      // Before the publication below: a reader that sees the record also sees the chunk's firstTs.
      this.#registry.setFirstTs(this.#chunk.id, ts);
      this.#registry.setExactTs(this.#chunk.id, 'first', this.#view, DATA_OFFSET + this.#tsOffset);
      this.#chunkFirstTs = ts;
    }
    this.#lastTs = ts;
    if (this.#indexer !== undefined) this.#indexer.add(ts, this.#count);
    Atomics.store(this.#countWords, C_COMMITTED_COUNT_INDEX, ++this.#count);
    if (this.#registry.hasWaiters()) this.#wake();
    if (this.#clockIdle || ++this.#sinceClock >= CLOCK_EVERY_RECORDS) this.#refreshClock();
    else this.#dirtyClock = true;
    this.#dirtySync = true;
  }

  writeBatch(rows: readonly Row[]): number {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    if (Array.isArray(rows) && rows.length <= this.#capacity - this.#count && this.#indexer === undefined) {
      return this.#writeFitting(rows);
    }
    if (Array.isArray(rows) && rows.length > this.#stamps.length) {
      this.#stamps = new Float64Array(Math.max(rows.length, this.#stamps.length * 2));
    }
    validateBatch(this.#ctx, rows, this.#lastTs, this.#stamp, this.#previousExact);
    const n = rows.length;
    if (n === 0) return 0;
    this.#encodeRows(rows, n);
    this.#publishAll(n);
    return n;
  }

  /**
   * writeBatch of a batch that fits in the current chunk (the usual small batch of a feed handler),
   * in one pass: one codec call per row checks its values and encodes it (encodeTuple), into the
   * slots past the published count, and the batch is published at the end. Validating every row
   * first and encoding in a second pass loaded each value twice and cost two calls per row, a
   * visible share of an ingester's per-message CPU at a few rows per call. A refused row leaves
   * nothing published, and the slots written before it are zeroed again: the chunk's unpublished
   * tail stays all zero, as the crash checks (recovery, scan) expect of a clean writer.
   */
  #writeFitting(rows: readonly Row[]): number {
    const n = rows.length;
    if (n === 0) return 0;
    const codec = this.#codec;
    const view = this.#view;
    const rs = this.#recordSize;
    const start = DATA_OFFSET + this.#count * rs;
    // As the bulk paths do: a large run's pages in one call, and a chunk file something truncated
    // under the writer is ERR_CORRUPT here (EFAULT) instead of SIGBUS on the first store.
    if (n * rs >= POPULATE_MIN_BYTES) this.#populate(this.#count, n, 0);
    let previous = this.#lastTs;
    let first = 0;
    let i = 0;
    try {
      for (let offset = start; i < n; i++, offset += rs) {
        const row = rows[i];
        if (row === null || typeof row !== 'object') throw notARowError(this.#ctx, i, row);
        const ts = isTupleRow(row)
          ? codec.encodeTuple(view, offset, row)
          : codec.encodeObject(view, offset, row);
        if (ts <= previous) checkOrder(this.#ctx, rows, i, ts, previous, this.#previousExact); // one compare unless tie or decrease
        if (i === 0) first = ts;
        previous = ts;
      }
    } catch (error) {
      // Row i was refused before or after its encode: clear rows [0, i] (untouched slots are zero).
      this.#chunk.bytes.fill(0, start, start + (i + 1) * rs);
      throw error;
    }
    if (this.#count === 0) {
      // Before the publication: a reader that sees the records also sees the chunk's firstTs.
      this.#registry.setFirstTs(this.#chunk.id, first);
      this.#registry.setExactTs(this.#chunk.id, 'first', view, DATA_OFFSET + this.#tsOffset);
      this.#chunkFirstTs = first;
    }
    this.#lastTs = previous;
    this.#count += n;
    this.#publishAll(n);
    return n;
  }

  /**
   * writeBatch's loop, in a method of its own: V8 compiles a long batch's loop on the stack (OSR)
   * during the first calls, and code after the loop that had not run yet has no type feedback. In
   * writeBatch itself that was the #publishAll load: the OSR code deoptimised there at the end of
   * every call that entered it (275 times in 1,000 calls of 10,000 rows, --trace-deopt), and each
   * such call finished in the interpreter. Here the loop's exit is a plain return.
   */
  #encodeRows(rows: readonly Row[], n: number): void {
    const stamps = this.#stamps;
    const codec = this.#codec;
    const rs = this.#recordSize;
    for (let i = 0; i < n; i++) {
      if (this.#count === this.#capacity) {
        Atomics.store(this.#countWords, C_COMMITTED_COUNT_INDEX, this.#count);
        try {
          this.#rotate(i);
        } catch (error) {
          this.#stoppedAfter(i);
          throw error;
        }
      }
      const row = rows[i];
      const offset = DATA_OFFSET + this.#count * rs;
      if (isTupleRow(row)) codec.encodeTupleUnchecked(this.#view, offset, row);
      else codec.encodeObjectUnchecked(this.#view, offset, row);
      if (this.#count === 0) {
        this.#registry.setFirstTs(this.#chunk.id, stamps[i]);
        this.#registry.setExactTs(this.#chunk.id, 'first', this.#view, DATA_OFFSET + this.#tsOffset);
        this.#chunkFirstTs = stamps[i];
      }
      // Per record, not per batch: a rotation inside the batch seals the chunk with its true last ts.
      this.#lastTs = stamps[i];
      if (this.#indexer !== undefined) this.#indexer.add(stamps[i], this.#count);
      this.#count++;
    }
  }

  writeRaw(bytes: Uint8Array): number {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    // Room left in the current chunk: a call that fits is copied and order-checked in one pass.
    return this.#writeBulk(rawSource(this.#ctx, bytes, this.#capacity - this.#count));
  }

  writeColumns(columns: ColumnInput): number {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    return this.#writeBulk(columnSource(this.#ctx, columns));
  }

  /**
   * Copies validated whole records into the chunk a chunk-sized run at a time (rotating between
   * runs like writeBatch), then publishes them with one store per chunk touched.
   */
  #writeBulk(source: BulkSource): number {
    checkOrderAfter(this.#ctx, source, this.#lastTs, this.#previousExact);
    const n = source.count;
    if (n === 0) return 0;
    const rs = this.#recordSize;
    const codec = this.#codec;
    for (let done = 0; done < n; ) {
      if (this.#count === this.#capacity) {
        Atomics.store(this.#countWords, C_COMMITTED_COUNT_INDEX, this.#count);
        try {
          this.#rotate(done);
        } catch (error) {
          this.#stoppedAfter(done);
          throw error;
        }
      }
      const run = Math.min(n - done, this.#capacity - this.#count);
      const at = this.#count;
      // One populate call instead of a page fault per 4 KiB page of the copy (large runs only: a
      // syscall per small write would cost more than the few faults it saves).
      if (run * rs >= POPULATE_MIN_BYTES) this.#populate(at, run, done);
      // fillAllChecked: only offered when the whole call fits here (one run, done === 0).
      if (source.fillAllChecked !== undefined)
        source.fillAllChecked(this.#chunk.bytes, DATA_OFFSET + at * rs);
      else source.fill(this.#chunk.bytes, DATA_OFFSET + at * rs, rs, done, run);
      if (at === 0) {
        // Before the publication: a reader that sees the records also sees the chunk's firstTs.
        this.#chunkFirstTs = codec.readTimestamp(this.#view, DATA_OFFSET);
        this.#registry.setFirstTs(this.#chunk.id, this.#chunkFirstTs);
      }
      const indexer = this.#indexer;
      if (indexer !== undefined) {
        // Only the stride's records are kept: visit those, not every record.
        const stride = indexer.stride;
        for (let p = Math.ceil(at / stride) * stride; p < at + run; p += stride)
          indexer.add(codec.readTimestamp(this.#view, DATA_OFFSET + p * rs), p);
      }
      this.#count = at + run;
      this.#lastTs = codec.readTimestamp(this.#view, DATA_OFFSET + (this.#count - 1) * rs);
      done += run;
    }
    this.#publishAll(n);
    return n;
  }

  /**
   * Populates the pages of records [at, at + run) of the current chunk. It fails (EFAULT) only
   * where a store would raise SIGBUS (the file shrank under the mapping): the `done` records this
   * call already copied are published, then the error is thrown.
   */
  #populate(at: number, run: number, done: number): void {
    const rs = this.#recordSize;
    try {
      this.#chunk.mapping.madvise('populate-write', DATA_OFFSET + at * rs, run * rs);
    } catch (error) {
      Atomics.store(this.#countWords, C_COMMITTED_COUNT_INDEX, this.#count);
      this.#stoppedAfter(done);
      if ((error as { code?: unknown }).code !== 'EFAULT') throw error;
      // Something truncated the chunk file: the next store would be SIGBUS. Stop writing.
      this.#chunkShrunk = true;
      try {
        this.close();
      } catch {
        // close() released everything in its finally; the error below names the cause.
      }
      throw new DeepwaterError(
        'ERR_CORRUPT',
        `Feed "${this.feedName}": chunk file ${this.#chunk.path} shrank under the writer (something ` +
          `truncated it); the writer closed itself after ${done} records of this call were published ` +
          `instead of writing into pages that no longer exist; run \`deepwater repair --feed ${this.feedName}\``,
        { feed: this.feedName, path: this.#chunk.path, cause: error },
      );
    }
  }

  /** The end of a multi-record call: one publication, one wake, the clock's bookkeeping. */
  #publishAll(n: number): void {
    Atomics.store(this.#countWords, C_COMMITTED_COUNT_INDEX, this.#count);
    if (this.#registry.hasWaiters()) this.#wake();
    this.#sinceClock += n;
    if (this.#clockIdle || this.#sinceClock >= CLOCK_EVERY_RECORDS) this.#refreshClock();
    else this.#dirtyClock = true;
    this.#dirtySync = true;
  }

  /**
   * A multi-record call stopped by an error after its first `published` records were published
   * (their count already stored): readers must hear of them, and they must reach the clock and
   * the disk, even though the call throws.
   */
  #stoppedAfter(published: number): void {
    if (published > 0 && this.#registry.hasWaiters()) this.#wake();
    this.#dirtyClock = true;
    this.#dirtySync = true;
  }

  /** Bumps the futex word and wakes parked readers; only called when one announced itself. */
  #wake(): void {
    this.#registry.signal();
  }

  #refreshClock(): void {
    this.#sinceClock = 0;
    if (this.#closed) return;
    this.#registry.setLastAppendUs(Date.now() * 1000);
    this.#dirtyClock = false;
    this.#clockIdle = false;
  }

  /**
   * Rotation protocol: (1) the old chunk's final count is already published; (2) the new chunk's
   * file header and registry slot are written; (3) lastChunkId = new id publishes the rotation,
   * which tells readers the old chunk is final; (4) the old chunk gets its end marker.
   */
  #rotate(writtenRecords = 0): void {
    const old = this.#chunk;
    const registry = this.#registry;
    this.#syncChunk(old);
    // The only step that needs new space, and it comes before any state changes: if it fails
    // (ERR_NO_SPACE, or ERR_NO_MEMORY once the process's cached chunk mappings were given back
    // and it failed again) the writer is exactly as before, and the next write retries the rotation.
    let next: ChunkFile;
    try {
      // Seq continues across the rotation: the new chunk's first record follows the old one's last.
      next = mapEvictingOnce(() =>
        ChunkFile.create(
          this.#ctx.feedDir,
          old.id + 1,
          this.#recordSize,
          this.#capacity,
          old.firstSeq + this.#count,
          { mode: this.#ctx.fileMode, feed: this.feedName },
        ),
      );
    } catch (error) {
      rethrowResourceError(error, this.feedName, `create chunk ${old.id + 1}`, writtenRecords);
    }
    if (this.#durability === 'fsync') fsyncPath(this.#ctx.feedDir);
    registry.initChunkSlot(next.id, Date.now() * 1000, next.firstSeq);
    this.#copyLastExact(old.id, old.view);
    registry.setChunkSummary(old.id, CHUNK_FULL, this.#count, this.#chunkFirstTs, this.#lastTs);
    registry.publishLastChunkId(next.id);
    old.markSealed();
    const sealedRecords = this.#count;
    this.#chunk = next;
    this.#view = next.view;
    this.#countWords = next.headerWords;
    this.#count = 0;
    this.#chunkFirstTs = Number.NaN;
    if (this.#indexer !== undefined) {
      // After the switch: the index is an accelerator (readers binary-search a chunk without
      // one), so failing to write it (a full disk) must not leave the writer half-rotated.
      try {
        this.#indexer.persist(this.#ctx.feedDir, old.id, this.#ctx.fileMode);
      } catch (error) {
        this.#ctx.logger.warn({ err: error, feed: this.feedName, chunk: old.id }, 'chunk index not written');
      }
      this.#indexer.reset();
    }
    if (this.#registry.hasWaiters()) this.#wake();
    old.close();
    // Once per chunk, never per record: an operator sees the feed's pace in the log.
    this.#ctx.logger.info({ feed: this.feedName, chunk: next.id, sealedRecords }, 'chunk rotated');
  }

  /** The exact last timestamp of the current chunk into its slot (rotation and close only). */
  #copyLastExact(id: number, view: DataView): void {
    if (this.#count === 0) return;
    const offset = DATA_OFFSET + (this.#count - 1) * this.#recordSize + this.#tsOffset;
    this.#registry.setExactTs(id, 'last', view, offset);
  }

  #syncChunk(chunk: ChunkFile): void {
    if (this.#durability === 'page-cache') return;
    chunk.mapping.msync();
    if (this.#durability === 'fsync') fsyncPath(chunk.path);
  }

  #backgroundSync(): void {
    if (this.#closed || !this.#dirtySync) return;
    this.#dirtySync = false;
    const chunk = this.#chunk;
    chunk.mapping.msyncAsync().then(
      () => {
        if (this.#durability === 'fsync' && !chunk.mapping.closed) fsyncPath(chunk.path);
      },
      (error: unknown) =>
        this.#ctx.logger.warn({ err: error, feed: this.feedName }, 'background msync failed'),
    );
  }

  flush(): void {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    const used = DATA_OFFSET + this.#count * this.#recordSize;
    this.#chunk.mapping.msync(0, Math.min(used, this.#chunk.mapping.size));
    if (this.#durability === 'fsync') {
      fsyncPath(this.#chunk.path);
      fsyncPath(dirname(this.#chunk.path));
    }
    this.#dirtySync = false;
  }

  close(): void {
    if (this.#closed) return;
    try {
      if (this.#dirtyClock || this.#sinceClock > 0) this.#registry.setLastAppendUs(Date.now() * 1000);
      this.#closed = true;
      clearInterval(this.#clockTimer);
      if (this.#syncTimer !== undefined) clearInterval(this.#syncTimer);
      this.#syncChunk(this.#chunk);
      if (!this.#chunkShrunk) this.#copyLastExact(this.#chunk.id, this.#view);
      this.#registry.setChunkSummary(
        this.#chunk.id,
        CHUNK_CLOSED,
        this.#count,
        this.#chunkFirstTs,
        this.#count > 0 ? this.#lastTs : Number.NaN,
      );
      this.#registry.setWriterPid(0);
      this.#indexer?.persist(this.#ctx.feedDir, this.#chunk.id, this.#ctx.fileMode);
    } finally {
      this.#indexer?.dispose();
      this.#closed = true;
      this.#chunk.close();
      this.#readers.close();
      this.#registry.close();
      this.#lock.release();
      this.#ctx.unregister(this);
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
