import { RingWriter } from '@deepwater/ring';
import { lockHolder } from '@deepwater/storage-native';
import { closedError, writerLockedError } from '../errors.js';
import { lockInBase } from '../platform/base-fs.js';
import type { FeedContext } from '../platform/feed-context.js';
import {
  isTupleRow as isTupleRowImport,
  type Row,
  rowTimestamp,
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
import type { Writer } from '../writer/writer.js';
import { translateRingError } from './ring-errors.js';
import { ringGeometry } from './ring-geometry.js';
import { ringShmName } from './ring-name.js';
import { RingReadersTable } from './ring-readers-table.js';
import { recordRingName, removeMovedRing } from './ring-record.js';

// Module-local copies of what the per-record paths use from other modules: V8 folds a module's own
// consts into optimized code, but loads an imported binding from its module cell, with a TDZ check,
// at every use (and checks a called one against the inlined target).
const isTupleRow = isTupleRowImport;
const rawTimestamp = rawTimestampImport;
const refuseOutOfOrder = refuseOutOfOrderImport;
const NO_ROWS: readonly Row[] = [];

/**
 * Tells cursors waiting for the ring (in any process) that it is ready, through the ring readers
 * table they map. Monitoring must never stop a writer: if the table cannot be opened, waiting
 * cursors find the ring by their slower fallback probe.
 */
function announceRingToReaders(ctx: FeedContext): void {
  try {
    const table = RingReadersTable.open(ctx.feedDir, ctx.feedName, ctx.fileMode);
    try {
      table.announceRing();
    } finally {
      table.close();
    }
  } catch (error) {
    ctx.logger.warn(
      { feed: ctx.feedName, error: (error as Error).message },
      'ring readers table unavailable; readers waiting for this ring find it within 100 ms instead of at once',
    );
  }
}

/**
 * RingFeedWriter — the single writer of a persist:false feed (one per feed across processes,
 * enforced by the kernel lock on the feed's writer.lock). Values are validated first, then
 * encoded straight into the claimed ring slot and published with one release store (one per
 * batch for writeBatch). Starting on an existing ring continues its sequence and its timestamps.
 */
export class RingFeedWriter implements Writer {
  readonly feedName: string;
  readonly #ctx: FeedContext;
  readonly #ring: RingWriter;
  readonly #codec: FeedContext['codec'];
  readonly #encodeTuple: FeedContext['codec']['encodeTupleUnchecked'];
  readonly #encodeObject: FeedContext['codec']['encodeObjectUnchecked'];
  // Numbers from the start (not undefined, as an ES2022 field without initializer): V8 then keeps
  // them as numbers in place instead of boxing a new heap number per write of a large timestamp.
  readonly #tsIndex: number = 0;
  readonly #tsCol: string;
  #lastTs = 0;
  /**
   * The last bigint timestamp written, for the exact order check beyond 2^53 (a tie there is between
   * two bigints: the codec refuses unsafe numbers). Numbers are not stored: a double in this field
   * would be boxed on every write (~10% of writeValues).
   */
  #lastRaw: bigint | undefined;
  /** Reads #lastRaw for the bulk writes' order check, bound once. */
  readonly #previousRaw = (): bigint | undefined => this.#lastRaw;
  #closed = false;
  /** The rows of the writeBatch call in progress, read by #encodeRow. */
  #batchRows: readonly Row[] = NO_ROWS;
  /**
   * writeBatch's encoder, bound once: a closure per call gave the ring's loop a new call target
   * each batch, and V8 then inlined the encoder into it in some processes only (p50 per record
   * bimodal, 26 or 46 ns).
   */
  readonly #encodeRow = (view: DataView, byteOffset: number, index: number): void => {
    const row = this.#batchRows[index];
    if (isTupleRow(row)) this.#codec.encodeTupleUnchecked(view, byteOffset, row);
    else this.#codec.encodeObjectUnchecked(view, byteOffset, row);
  };

  constructor(ctx: FeedContext) {
    this.#ctx = ctx;
    this.feedName = ctx.feedName;
    this.#codec = ctx.codec;
    this.#encodeTuple = ctx.codec.encodeTupleUnchecked;
    this.#encodeObject = ctx.codec.encodeObjectUnchecked;
    this.#tsIndex = ctx.layout.tsIndex;
    this.#tsCol = ctx.layout.tsCol;
    const lock = lockInBase(ctx.writerLockPath, ctx.fileMode, ctx.feedName);
    if (lock === null) {
      throw writerLockedError(ctx.feedName, ctx.writerLockPath, lockHolder(ctx.writerLockPath));
    }
    try {
      const shmName = ringShmName(ctx.basePath, ctx.feedName);
      const moved = removeMovedRing(ctx, shmName);
      if (moved !== undefined) {
        ctx.logger.info(
          { feed: ctx.feedName, shmName: moved },
          "removed the ring of the base's previous path",
        );
      }
      recordRingName(ctx, shmName);
      this.#ring = RingWriter.open(shmName, { ...ringGeometry(ctx), heldLock: lock, mode: ctx.fileMode });
    } catch (error) {
      lock.release();
      throw translateRingError(ctx.feedName, error);
    }
    this.#lastTs = this.#ring.lastTimestamp ?? Number.NEGATIVE_INFINITY;
    announceRingToReaders(ctx);
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
    const early = rawTimestamp(raw);
    if (early <= this.#lastTs) refuseOutOfOrder(this.#ctx, early, this.#lastTs, raw, this.#lastRaw); // one compare unless it ties or decreases
    // Validate before claiming: a claimed slot counts as overwritten for readers, even if unused.
    const ts = this.#codec.validateTuple(values);
    // One small ring call that V8 can inline with the encoder: claim, encode in place, publish.
    this.#ring.writeOne(this.#encodeTuple, values);
    this.#lastTs = ts;
    if (typeof raw === 'bigint') this.#lastRaw = raw; // only a bigint can be unsafe (see refuseOutOfOrder)
  }

  writeDict(record: Readonly<Record<string, unknown>>): void {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    const raw = record == null ? undefined : record[this.#tsCol];
    const early = rawTimestamp(raw);
    if (early <= this.#lastTs) refuseOutOfOrder(this.#ctx, early, this.#lastTs, raw, this.#lastRaw); // one compare unless it ties or decreases
    const ts = this.#codec.validateObject(record);
    this.#ring.writeOne(this.#encodeObject, record);
    this.#lastTs = ts;
    if (typeof raw === 'bigint') this.#lastRaw = raw; // only a bigint can be unsafe (see refuseOutOfOrder)
  }

  writeBatch(rows: readonly Row[]): number {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    const previous = validateBatch(this.#ctx, rows, this.#lastTs, undefined, this.#lastRaw);
    const n = rows.length;
    if (n === 0) return 0;
    this.#batchRows = rows;
    try {
      this.#ring.writeBatch(n, this.#encodeRow);
    } finally {
      this.#batchRows = NO_ROWS; // the caller's rows are not kept alive by the writer
    }
    this.#lastTs = previous;
    const lastRaw = rowTimestamp(this.#ctx, rows[n - 1]);
    if (typeof lastRaw === 'bigint') this.#lastRaw = lastRaw;
    return n;
  }

  writeRaw(bytes: Uint8Array): number {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    const source = rawSource(this.#ctx, bytes);
    checkOrderAfter(this.#ctx, source, this.#lastTs, this.#previousRaw);
    if (source.count === 0) return 0;
    // Whole records already: the ring's own strided copy (word loops) into its slots.
    this.#ring.writeBytes(bytes);
    this.#lastTs = Number(source.lastTs);
    this.#lastRaw = source.lastTs;
    return source.count;
  }

  writeColumns(columns: ColumnInput): number {
    if (this.#closed) throw closedError(this.feedName, 'writer');
    return this.#writeBulk(columnSource(this.#ctx, columns));
  }

  /** Validated whole records straight into the claimed slots, published per ring-sized part. */
  #writeBulk(source: BulkSource): number {
    checkOrderAfter(this.#ctx, source, this.#lastTs, this.#previousRaw);
    const n = source.count;
    if (n === 0) return 0;
    this.#ring.writeRecords(n, (bytes, byteOffset, stride, from, count) =>
      source.fill(bytes, byteOffset, stride, from, count),
    );
    this.#lastTs = Number(source.lastTs);
    this.#lastRaw = source.lastTs;
    return n;
  }

  /** Shared memory has no durability to sync: a no-op kept for API parity with disk writers. */
  flush(): void {
    if (this.#closed) throw closedError(this.feedName, 'writer');
  }

  /** Releases the writer lock and unmaps; the ring and its records stay for readers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#ring.close();
    } finally {
      this.#ctx.unregister(this);
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
