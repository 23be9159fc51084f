import { futexWaitAsync, futexWake, type Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { crc32c } from '../format/crc32c.js';
import { DEFAULT_FILE_MODE, mapInBase } from '../platform/base-fs.js';
import { LOADS_STAY_ORDERED } from '../platform/memory-order.js';
import { assertFileLength, createFileOnce } from '../registry/atomic-file.js';
import * as L from '../registry/layout.js';
import { readSeq, writeSeq } from './chunk-file.js';

export interface ChunkSlotInfo {
  id: number;
  state: number;
  /** Final record count once state >= CHUNK_CLOSED; 0 while active (read the chunk header). */
  recordCount: number;
  firstTs: number;
  lastTs: number;
  createdUs: number;
  sealedUs: number;
  /** Seq of the chunk's first record (a copy of its header's). */
  firstSeq: number;
}

/**
 * The immutable part of a chunks.reg image: the header (with its checksum) and the copy of
 * feed.json after the slots. `spec` longer than SPEC_CAPACITY is not copied (specLength 0).
 */
export function encodeFeedRegistryImage(
  recordSize: number,
  recordsPerChunk: number,
  chunkFileLength: number,
  spec: Uint8Array | undefined,
): Uint8Array {
  const copy = spec !== undefined && spec.length <= L.SPEC_CAPACITY ? spec : undefined;
  const bytes = new Uint8Array(copy === undefined ? L.FEED_HEADER_LENGTH : L.SPEC_OFFSET + copy.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(L.F_MAGIC_OFFSET, L.FEED_MAGIC, true);
  view.setUint32(L.F_VERSION_OFFSET, L.FEED_VERSION, true);
  view.setUint32(L.F_SLOT_CAPACITY_OFFSET, L.FEED_SLOT_CAPACITY, true);
  view.setUint32(L.F_SLOT_LENGTH_OFFSET, L.FEED_SLOT_LENGTH, true);
  view.setUint32(L.F_RECORD_SIZE_OFFSET, recordSize, true);
  view.setUint32(L.F_RECORDS_PER_CHUNK_OFFSET, recordsPerChunk, true);
  view.setFloat64(L.F_CHUNK_FILE_LENGTH_OFFSET, chunkFileLength, true);
  if (copy !== undefined) {
    bytes.set(copy, L.SPEC_OFFSET);
    view.setUint32(L.F_SPEC_LENGTH_OFFSET, copy.length, true);
    view.setUint32(L.F_SPEC_CRC_OFFSET, crc32c(copy), true);
  }
  view.setUint32(L.F_HEADER_CRC_OFFSET, feedHeaderCrc(bytes), true);
  return bytes;
}

/** CRC-32C of chunks.reg's immutable header words: bytes 0..32, then 36..44 (spec length, spec CRC). */
export function feedHeaderCrc(bytes: Uint8Array): number {
  return crc32c(
    bytes.subarray(0, L.F_IMMUTABLE_END),
    bytes.subarray(L.F_SPEC_LENGTH_OFFSET, L.F_SPEC_FIELDS_END),
  );
}

export function createFeedRegistryFile(
  path: string,
  recordSize: number,
  recordsPerChunk: number,
  chunkFileLength: number,
  spec: Uint8Array | undefined,
  mode = DEFAULT_FILE_MODE,
): void {
  createFileOnce(
    path,
    L.FEED_FILE_LENGTH,
    encodeFeedRegistryImage(recordSize, recordsPerChunk, chunkFileLength, spec),
    mode,
  );
}

const LAST_CHUNK_ID_INDEX = L.F_LAST_CHUNK_ID_OFFSET / 4;
const FIRST_CHUNK_ID_INDEX = L.F_FIRST_CHUNK_ID_OFFSET / 4;
const WRITER_PID_INDEX = L.F_WRITER_PID_OFFSET / 4;
const WAITERS_INDEX = L.F_WAITERS_OFFSET / 4;
const SIGNAL_INDEX = L.F_SIGNAL_OFFSET / 4;
const ORDERED = LOADS_STAY_ORDERED;

/**
 * FeedRegistry — one feed's chunk table, memory-mapped by its writer and every reader.
 * Mutators are for the single writer only; accessors are lock-free and safe at any time.
 */
export class FeedRegistry {
  readonly path: string;
  // Private: callers use the operations below, never the words (the layout stays in one place).
  readonly #mapping: Mapping;
  /** The whole file as 32-bit words, for Atomics. */
  readonly #words: Int32Array;
  readonly #view: DataView;
  readonly recordSize: number;
  readonly recordsPerChunk: number;
  readonly chunkFileLength: number;
  readonly slotCapacity: number;

  constructor(path: string, feed: string) {
    this.path = path;
    assertFileLength(
      path,
      L.FEED_FILE_LENGTH,
      `run \`deepwater repair --feed ${feed}\` (it rebuilds the registry from the chunk files)`,
      feed,
    );
    this.#mapping = mapInBase(path, {}, feed);
    this.#words = new Int32Array(this.#mapping.buffer);
    this.#view = new DataView(this.#mapping.buffer);
    const magic = this.#view.getUint32(L.F_MAGIC_OFFSET, true);
    const version = this.#view.getUint32(L.F_VERSION_OFFSET, true);
    if (magic !== L.FEED_MAGIC) {
      this.#mapping.close();
      throw new DeepwaterError('ERR_CORRUPT', `Feed "${feed}": ${path} is not a chunk registry (bad magic)`, {
        feed,
        path,
      });
    }
    if (version !== L.FEED_VERSION) {
      this.#mapping.close();
      throw new DeepwaterError(
        'ERR_FORMAT_VERSION',
        `Feed "${feed}": ${path} has chunk registry version ${version}; this @deepwater/sdk reads version ${L.FEED_VERSION}` +
          (version < L.FEED_VERSION
            ? '; upgrade the base with `deepwater migrate -b BASE`'
            : '; upgrade @deepwater/sdk'),
        { feed, path },
      );
    }
    this.recordSize = this.#view.getUint32(L.F_RECORD_SIZE_OFFSET, true);
    this.recordsPerChunk = this.#view.getUint32(L.F_RECORDS_PER_CHUNK_OFFSET, true);
    this.chunkFileLength = this.#view.getFloat64(L.F_CHUNK_FILE_LENGTH_OFFSET, true);
    this.slotCapacity = this.#view.getUint32(L.F_SLOT_CAPACITY_OFFSET, true);
  }

  /** Why the header's checksum or its feed.json copy fails, or undefined (checked on open). */
  checksumProblem(): string | undefined {
    const bytes = new Uint8Array(this.#mapping.buffer);
    const stored = this.#view.getUint32(L.F_HEADER_CRC_OFFSET, true);
    const computed = feedHeaderCrc(bytes);
    if (stored !== computed) {
      return `field headerCrc is 0x${stored.toString(16).padStart(8, '0')}, the header's fields sum to 0x${computed.toString(16).padStart(8, '0')} (CRC-32C)`;
    }
    const length = this.#view.getUint32(L.F_SPEC_LENGTH_OFFSET, true);
    if (length > L.SPEC_CAPACITY) return `field specLength is ${length}, above ${L.SPEC_CAPACITY}`;
    const spec = bytes.subarray(L.SPEC_OFFSET, L.SPEC_OFFSET + length);
    const specCrc = this.#view.getUint32(L.F_SPEC_CRC_OFFSET, true);
    if (length > 0 && crc32c(spec) !== specCrc) return 'the copy of feed.json fails its checksum (specCrc)';
    return undefined;
  }

  /** The copy of feed.json kept in the registry, or undefined if there is none (or it is damaged). */
  specCopy(): Uint8Array | undefined {
    if (this.checksumProblem() !== undefined) return undefined;
    const length = this.#view.getUint32(L.F_SPEC_LENGTH_OFFSET, true);
    if (length === 0) return undefined;
    return new Uint8Array(this.#mapping.buffer, L.SPEC_OFFSET, length).slice();
  }

  /** What every chunk of this feed must look like (checked when a chunk is opened). */
  chunkGeometry(): { recordSize: number; capacity: number } {
    return { recordSize: this.recordSize, capacity: this.recordsPerChunk };
  }

  /** Acquire-load of the rotation word: every chunk with a lower id is final. */
  lastChunkIdAcquire(): number {
    // A spinning disk stream loads it at every poll that finds nothing (see memory-order.ts).
    return (
      (ORDERED
        ? (this.#words[LAST_CHUNK_ID_INDEX] as number)
        : Atomics.load(this.#words, LAST_CHUNK_ID_INDEX)) >>> 0
    );
  }

  firstChunkId(): number {
    return Atomics.load(this.#words, FIRST_CHUNK_ID_INDEX) >>> 0;
  }

  writerPid(): number {
    return Atomics.load(this.#words, WRITER_PID_INDEX) >>> 0;
  }

  lastAppendUs(): number {
    return this.#view.getFloat64(L.F_LAST_APPEND_US_OFFSET, true);
  }

  slotOffset(id: number): number {
    return L.FEED_HEADER_LENGTH + ((id - 1) % this.slotCapacity) * L.FEED_SLOT_LENGTH;
  }

  /** The slot of chunk `id`, or undefined if the slot now belongs to another chunk (or none). */
  chunk(id: number): ChunkSlotInfo | undefined {
    if (id < 1) return undefined;
    const base = this.slotOffset(id);
    if (Atomics.load(this.#words, (base + L.FS_CHUNK_ID_OFFSET) / 4) >>> 0 !== id) return undefined;
    const view = this.#view;
    return {
      id,
      state: Atomics.load(this.#words, (base + L.FS_STATE_OFFSET) / 4) >>> 0,
      recordCount: view.getUint32(base + L.FS_RECORD_COUNT_OFFSET, true),
      firstTs: view.getFloat64(base + L.FS_FIRST_TS_OFFSET, true),
      lastTs: view.getFloat64(base + L.FS_LAST_TS_OFFSET, true),
      createdUs: view.getFloat64(base + L.FS_CREATED_US_OFFSET, true),
      sealedUs: view.getFloat64(base + L.FS_SEALED_US_OFFSET, true),
      firstSeq: readSeq(view, base + L.FS_FIRST_SEQ_OFFSET),
    };
  }

  chunkState(id: number): number {
    const base = this.slotOffset(id);
    if (Atomics.load(this.#words, (base + L.FS_CHUNK_ID_OFFSET) / 4) >>> 0 !== id) return 0;
    return Atomics.load(this.#words, (base + L.FS_STATE_OFFSET) / 4) >>> 0;
  }

  /**
   * Chunk `id`'s last timestamp when its slot summarises it (its own slot, records > 0), else
   * NaN. The seek's chunk search reads this per probe: unlike chunk() it allocates nothing (an
   * info object of eight fields per probe was most of a time seek's garbage).
   */
  summaryLastTs(id: number): number {
    const base = this.slotOffset(id);
    if (Atomics.load(this.#words, (base + L.FS_CHUNK_ID_OFFSET) / 4) >>> 0 !== id) return Number.NaN;
    if (this.#view.getUint32(base + L.FS_RECORD_COUNT_OFFSET, true) === 0) return Number.NaN;
    return this.#view.getFloat64(base + L.FS_LAST_TS_OFFSET, true);
  }

  chunkLastTs(id: number): number {
    return this.#view.getFloat64(this.slotOffset(id) + L.FS_LAST_TS_OFFSET, true);
  }

  // ---- writer-only mutators -------------------------------------------------------------------

  /** Fills chunk `id`'s slot; the chunkId word goes last so no reader sees a half-written slot. */
  initChunkSlot(id: number, createdUs: number, firstSeq: number): void {
    const base = this.slotOffset(id);
    const view = this.#view;
    Atomics.store(this.#words, (base + L.FS_CHUNK_ID_OFFSET) / 4, 0);
    Atomics.store(this.#words, (base + L.FS_STATE_OFFSET) / 4, L.CHUNK_ACTIVE);
    view.setUint32(base + L.FS_RECORD_COUNT_OFFSET, 0, true);
    view.setFloat64(base + L.FS_FIRST_TS_OFFSET, Number.NaN, true);
    view.setFloat64(base + L.FS_LAST_TS_OFFSET, Number.NaN, true);
    view.setFloat64(base + L.FS_CREATED_US_OFFSET, createdUs, true);
    view.setFloat64(base + L.FS_SEALED_US_OFFSET, 0, true);
    writeSeq(view, base + L.FS_FIRST_SEQ_OFFSET, firstSeq);
    view.setBigUint64(base + L.FS_FIRST_TS_EXACT_OFFSET, 0n, true);
    view.setBigUint64(base + L.FS_LAST_TS_EXACT_OFFSET, 0n, true);
    Atomics.store(this.#words, (base + L.FS_CHUNK_ID_OFFSET) / 4, id);
  }

  /** Repair only: the slot's copy of the chunk header's firstSeq. */
  setFirstSeq(id: number, seq: number): void {
    writeSeq(this.#view, this.slotOffset(id) + L.FS_FIRST_SEQ_OFFSET, seq);
  }

  /** Repair only: replaces the feed.json copy and re-seals the header checksum over it. */
  setSpecCopy(spec: Uint8Array): void {
    const bytes = new Uint8Array(this.#mapping.buffer);
    bytes.fill(0, L.SPEC_OFFSET, L.SPEC_OFFSET + L.SPEC_CAPACITY);
    bytes.set(spec, L.SPEC_OFFSET);
    this.#view.setUint32(L.F_SPEC_LENGTH_OFFSET, spec.length, true);
    this.#view.setUint32(L.F_SPEC_CRC_OFFSET, crc32c(spec), true);
    this.#view.setUint32(L.F_HEADER_CRC_OFFSET, feedHeaderCrc(bytes), true);
  }

  setFirstTs(id: number, ts: number): void {
    this.#view.setFloat64(this.slotOffset(id) + L.FS_FIRST_TS_OFFSET, ts, true);
  }

  /**
   * Copies the exact 8 bytes of a timestamp (the record's ts column at `byteOffset` of `source`)
   * into the slot's firstTsExact or lastTsExact: once per chunk, never per record.
   */
  setExactTs(id: number, which: 'first' | 'last', source: DataView, byteOffset: number): void {
    const at =
      this.slotOffset(id) + (which === 'first' ? L.FS_FIRST_TS_EXACT_OFFSET : L.FS_LAST_TS_EXACT_OFFSET);
    this.#view.setUint32(at, source.getUint32(byteOffset, true), true);
    this.#view.setUint32(at + 4, source.getUint32(byteOffset + 4, true), true);
  }

  /** The exact 64-bit first or last timestamp stored in chunk `id`'s slot (raw bits, unsigned). */
  exactTs(id: number, which: 'first' | 'last'): bigint {
    const at =
      this.slotOffset(id) + (which === 'first' ? L.FS_FIRST_TS_EXACT_OFFSET : L.FS_LAST_TS_EXACT_OFFSET);
    return this.#view.getBigUint64(at, true);
  }

  /** Records a chunk's final (or, for 'active', reset) metadata; state goes last. */
  setChunkSummary(id: number, state: number, recordCount: number, firstTs: number, lastTs: number): void {
    const base = this.slotOffset(id);
    const view = this.#view;
    view.setUint32(base + L.FS_RECORD_COUNT_OFFSET, recordCount, true);
    view.setFloat64(base + L.FS_FIRST_TS_OFFSET, firstTs, true);
    view.setFloat64(base + L.FS_LAST_TS_OFFSET, lastTs, true);
    view.setFloat64(base + L.FS_SEALED_US_OFFSET, state === L.CHUNK_ACTIVE ? 0 : Date.now() * 1000, true);
    Atomics.store(this.#words, (base + L.FS_STATE_OFFSET) / 4, state);
  }

  /** Release-store of the rotation word (after the chunk's file and slot are complete). */
  publishLastChunkId(id: number): void {
    Atomics.store(this.#words, LAST_CHUNK_ID_INDEX, id);
  }

  setFirstChunkId(id: number): void {
    Atomics.store(this.#words, FIRST_CHUNK_ID_INDEX, id);
  }

  setWriterPid(pid: number): void {
    Atomics.store(this.#words, WRITER_PID_INDEX, pid);
  }

  setLastAppendUs(us: number): void {
    this.#view.setFloat64(L.F_LAST_APPEND_US_OFFSET, us, true);
  }

  /** Mapped length of the file. */
  get byteLength(): number {
    return this.#mapping.size;
  }

  /** The header's slotLength field (checked on open against the layout's). */
  slotLength(): number {
    return this.#view.getUint32(L.F_SLOT_LENGTH_OFFSET, true);
  }

  /** Frees chunk `id`'s slot (only its id word, which readers check first); `onlyIfHeld`: unless reused. */
  clearChunkSlot(id: number, onlyIfHeld = false): void {
    const index = (this.slotOffset(id) + L.FS_CHUNK_ID_OFFSET) / 4;
    if (onlyIfHeld && Atomics.load(this.#words, index) >>> 0 !== id) return;
    Atomics.store(this.#words, index, 0);
  }

  // Wake-up protocol (see feed-waiter.ts): readers announce themselves in `waiters` before they
  // park on `signal`; the writer bumps `signal` and wakes them only when `waiters` is non-zero.

  /** `n` more parked readers (negative: withdrawn, also for a killed reader's share). */
  addWaiters(n: number): void {
    Atomics.add(this.#words, WAITERS_INDEX, n);
  }

  /**
   * Whether any reader announced itself: the writer checks this after each publication. Call it
   * only after the publishing Atomics.store: that store's full fence keeps this load after it (a
   * plain load on x86, see memory-order.ts; ~7 ns less on every write).
   */
  hasWaiters(): boolean {
    return (ORDERED ? this.#words[WAITERS_INDEX] : Atomics.load(this.#words, WAITERS_INDEX)) !== 0;
  }

  /** The signal word's value now: a later wait returns at once if the writer bumped it since. */
  signalSeen(): number {
    return Atomics.load(this.#words, SIGNAL_INDEX);
  }

  /** Parks (off the JS thread) until the signal word differs from `seen`, a wake-up or the timeout. */
  waitSignalAsync(seen: number, timeoutMs: number): Promise<unknown> {
    return futexWaitAsync(this.#mapping.buffer, L.F_SIGNAL_OFFSET, seen, timeoutMs);
  }

  /** Bumps the signal word and wakes every parked reader. */
  signal(): void {
    Atomics.add(this.#words, SIGNAL_INDEX, 1);
    futexWake(this.#mapping.buffer, L.F_SIGNAL_OFFSET);
  }

  close(): void {
    this.#mapping.close();
  }
}
