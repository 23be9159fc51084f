import { LOADS_STAY_ORDERED } from '../platform/memory-order.js';
import { ChunkFile } from './chunk-file.js';
import { C_COMMITTED_COUNT_INDEX, DATA_OFFSET } from './chunk-layout.js';
import type { FeedRegistry } from './feed-registry.js';
import type { Parking } from './feed-waiter.js';
import type { ReadersTable } from './readers-table.js';
import type { FeedPosition } from './seek.js';

// Module-local copies: V8 folds a module's own consts into optimized code (an imported binding is
// loaded, with a TDZ check, at every use).
const ORDERED = LOADS_STAY_ORDERED;
const COUNT_INDEX = C_COMMITTED_COUNT_INDEX;
const NO_COUNT = new Int32Array(C_COMMITTED_COUNT_INDEX + 1);

/**
 * DiskCursor — one reader position that follows a feed across chunks. Never skips or repeats:
 * - records are read only below the acquire-loaded committed count of the current chunk;
 * - it leaves a chunk only after lastChunkId moved past it AND a re-load of the chunk's count
 *   (which is final by then) shows nothing left — so records appended just before a rotation are
 *   read before moving on, whenever the reader looks;
 * - replay and live are the same loop, so there is no hand-off to get wrong.
 * Passed chunks are unmapped, except by raw streams whose records are views into the mapping: those
 * are only dropped, and V8 unmaps them once no returned view is reachable.
 */
export class DiskCursor implements Parking {
  readonly #registry: FeedRegistry;
  readonly #feedDir: string;
  readonly #feed: string;
  readonly #readers: ReadersTable;
  readonly #slot: number;
  #chunkId: number;
  #chunk: ChunkFile | undefined;
  #previous: ChunkFile | undefined;
  #countWords: Int32Array = NO_COUNT;
  #index: number;
  /** firstSeq of the current chunk (NaN before the first chunk exists or when its file is gone). */
  #firstSeq = Number.NaN;
  /** The cursor's seq when it last left a chunk: previousSeq right after a crossing. */
  #seqAtLastCrossing = Number.NaN;
  #known = 0;
  #recordSize: number;
  #closed = false;
  /** Waits of this cursor currently announced in the feed's `waiters` word. */
  #parked = 0;
  /** Zero-copy views of its chunks escape (raw streams): drop passed chunks instead of unmapping. */
  readonly #lends: boolean;

  constructor(
    registry: FeedRegistry,
    feedDir: string,
    feed: string,
    readers: ReadersTable,
    start: FeedPosition,
    options: { lendsViews?: boolean } = {},
  ) {
    this.#lends = options.lendsViews ?? false;
    this.#registry = registry;
    this.#feedDir = feedDir;
    this.#feed = feed;
    this.#readers = readers;
    this.#recordSize = registry.recordSize;
    this.#chunkId = start.chunkId;
    this.#index = start.index;
    // Before the first chunk exists (chunkId 0) every chunk is still ahead of the cursor: announce
    // chunk 1, so retention keeps all of them until the cursor has moved.
    this.#slot = readers.claim(Math.max(start.chunkId, 1));
    if (start.chunkId > 0) this.#attach(start.chunkId);
  }

  #attach(id: number): boolean {
    const chunk = ChunkFile.open(this.#feedDir, id, this.#feed, {
      readOnly: true,
      geometry: this.#registry.chunkGeometry(),
    });
    this.#chunkId = id;
    this.#chunk = chunk;
    this.#countWords = chunk === undefined ? NO_COUNT : chunk.headerWords;
    this.#firstSeq = chunk === undefined ? Number.NaN : chunk.firstSeq;
    this.#known = 0;
    return chunk !== undefined;
  }

  /** Moves to the next chunk that still exists, up to `last`. */
  #advance(last: number): void {
    if (this.#chunk !== undefined) this.#seqAtLastCrossing = this.#firstSeq + this.#index;
    if (!this.#lends) this.#previous?.close();
    this.#previous = this.#chunk;
    this.#chunk = undefined;
    this.#index = 0;
    for (let id = this.#chunkId + 1; id <= last; id++) {
      if (this.#attach(id)) break; // a missing file was removed by retention: skip it
    }
    this.#readers.update(this.#slot, this.#chunkId);
  }

  /** True when a record is ready at the cursor; crosses finished chunks as needed. Never blocks. */
  ready(): boolean {
    if (this.#index < this.#known) return true;
    for (;;) {
      this.#known = this.#committed();
      if (this.#index < this.#known) return true;
      const last = this.#registry.lastChunkIdAcquire();
      if (last <= this.#chunkId) return false;
      // The chunk is final now; its count may have grown since the load above.
      this.#known = this.#committed();
      if (this.#index < this.#known) return true;
      this.#advance(last);
    }
  }

  /** The current chunk's committed count, acquire-loaded (a plain load where that is one, see memory-order.ts). */
  #committed(): number {
    return ORDERED ? (this.#countWords[COUNT_INDEX] as number) : Atomics.load(this.#countWords, COUNT_INDEX);
  }

  /** Records ready in the current chunk without crossing (call after ready()). */
  get readyInChunk(): number {
    return this.#known - this.#index;
  }

  /** View and byte offset of the record at the cursor (call after ready()). */
  get view(): DataView {
    return (this.#chunk as ChunkFile).view;
  }

  get bytes(): Uint8Array {
    return (this.#chunk as ChunkFile).bytes;
  }

  get byteOffset(): number {
    return DATA_OFFSET + this.#index * this.#recordSize;
  }

  /** Seq of the record at the cursor (call after ready()). */
  get seq(): number {
    return this.#firstSeq + this.#index;
  }

  /**
   * Seq of the record just behind the cursor (the one a stream took last), computed on demand: a
   * stream that stored cursor.seq per record paid a heap number per record (seqs are doubles).
   */
  get previousSeq(): number {
    return this.#index > 0 ? this.#firstSeq + this.#index - 1 : this.#seqAtLastCrossing - 1;
  }

  skip(count: number): void {
    this.#index += count;
  }

  get position(): FeedPosition {
    return { chunkId: this.#chunkId, index: this.#index };
  }

  /** For a parked async wait: is anything newer than the cursor published? */
  hasData(): boolean {
    if (this.#closed) return true;
    return this.#index < this.#committed() || this.#registry.lastChunkIdAcquire() > this.#chunkId;
  }

  park(): void {
    if (this.#closed) return;
    this.#parked++;
    this.#readers.addParked(this.#slot, 1);
    this.#registry.addWaiters(1);
  }

  unpark(): void {
    if (this.#parked === 0) return; // withdrawn by close()
    this.#parked--;
    this.#readers.addParked(this.#slot, -1);
    this.#registry.addWaiters(-1);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#parked > 0) {
      // Closed while a wait is pending: withdraw its announcement now (the registry is still mapped).
      this.#readers.addParked(this.#slot, -this.#parked);
      this.#registry.addWaiters(-this.#parked);
      this.#parked = 0;
    }
    this.#readers.release(this.#slot);
    if (!this.#lends) {
      this.#previous?.close();
      this.#chunk?.close();
    }
    this.#previous = undefined;
    this.#chunk = undefined;
    this.#countWords = NO_COUNT;
  }
}
