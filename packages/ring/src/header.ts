import { RingLayoutError } from './errors.js';
import { slotLengthFor } from './geometry.js';
import {
  CAPACITY_OFFSET,
  CLAIM_HI_OFFSET,
  CLAIM_LO_OFFSET,
  CREATED_US_OFFSET,
  FIRST_SEQUENCE_OFFSET,
  FLAGS_OFFSET,
  HEADER_LENGTH,
  HEADER_LENGTH_OFFSET,
  MAGIC_OFFSET,
  MAX_CAPACITY,
  NO_TIMESTAMP,
  PUBLISH_HI_OFFSET,
  PUBLISH_LO_OFFSET,
  RECORD_SIZE_OFFSET,
  RING_MAGIC,
  RING_VERSION,
  SEQ_GENERATION_OFFSET,
  SEQ_HI_MULTIPLIER,
  SLOT_LENGTH_OFFSET,
  TIMESTAMP_OFFSET_OFFSET,
  TIMESTAMP_SIGNED_FLAG,
  VERSION_OFFSET,
  WAITERS_OFFSET,
  WRITER_PID_OFFSET,
  WRITER_STARTS_OFFSET,
} from './layout.js';

const MAGIC = MAGIC_OFFSET >> 2;
const VERSION = VERSION_OFFSET >> 2;
const HEADER_LEN = HEADER_LENGTH_OFFSET >> 2;
const RECORD_SIZE = RECORD_SIZE_OFFSET >> 2;
const CAPACITY = CAPACITY_OFFSET >> 2;
const TIMESTAMP_OFFSET = TIMESTAMP_OFFSET_OFFSET >> 2;
const FLAGS = FLAGS_OFFSET >> 2;
const SLOT_LENGTH = SLOT_LENGTH_OFFSET >> 2;
const GENERATION = SEQ_GENERATION_OFFSET >> 2;
const CLAIM_LO = CLAIM_LO_OFFSET >> 2;
const CLAIM_HI = CLAIM_HI_OFFSET >> 2;
const PUBLISH_LO = PUBLISH_LO_OFFSET >> 2;
const PUBLISH_HI = PUBLISH_HI_OFFSET >> 2;
const WAITERS = WAITERS_OFFSET >> 2;
const WRITER_PID = WRITER_PID_OFFSET >> 2;
const WRITER_STARTS = WRITER_STARTS_OFFSET >> 2;

/**
 * x86 is TSO: stores become visible in program order and loads are not reordered with older
 * loads. V8 keeps typed-array accesses in program order on its effect chain and does not cache
 * typed-array element loads, so there the words that only need program order (claim word, slot
 * stamps, and the stamp loads around a record copy) are plain accesses: Atomics.store costs
 * ~10 ns and Atomics.load ~7 ns on Node 20 (builtin calls, not inlined), several per record.
 * Elsewhere (arm64 reorders both) they go through Atomics. The cross-process stress test (a
 * 2-slot ring lapped mid-decode) is what would catch a compiler that broke this.
 */
export const STORES_STAY_ORDERED = process.arch === 'x64' || process.arch === 'ia32';

/** What a ring holds: fixed at creation, identical for every process that opens it. */
export interface RingGeometry {
  /** Bytes per record (1..2^31). */
  readonly recordSize: number;
  /** Records the ring holds before the writer overwrites the oldest. */
  readonly capacity: number;
  /** Byte offset of a little-endian 64-bit timestamp inside each record, or null. */
  readonly timestampOffset: number | null;
  /** Whether that timestamp is an int64 (true) or a uint64 (false). */
  readonly timestampSigned: boolean;
}

/**
 * Typed access to a ring's control header. Every shared word goes through Atomics so that the
 * JS memory model orders it against the plain record stores around it; methods say which.
 */
export class RingHeader {
  readonly words: Uint32Array;
  private readonly floats: Float64Array;

  constructor(readonly buffer: ArrayBuffer) {
    this.words = new Uint32Array(buffer, 0, HEADER_LENGTH >> 2);
    this.floats = new Float64Array(buffer, 0, HEADER_LENGTH >> 3);
  }

  /** Zero means "not initialised yet": the creator stores MAGIC after every other field. */
  magicAcquire(): number {
    return Atomics.load(this.words, MAGIC);
  }

  /** Writes the static fields, then MAGIC last (release) so no reader sees half a header. */
  initialise(geometry: RingGeometry, createdUs: number, startSequence: number): void {
    const w = this.words;
    w.fill(0);
    w[VERSION] = RING_VERSION;
    w[HEADER_LEN] = HEADER_LENGTH;
    w[RECORD_SIZE] = geometry.recordSize;
    w[CAPACITY] = geometry.capacity;
    w[TIMESTAMP_OFFSET] = geometry.timestampOffset ?? NO_TIMESTAMP;
    w[FLAGS] = geometry.timestampSigned ? TIMESTAMP_SIGNED_FLAG : 0;
    w[SLOT_LENGTH] = slotLengthFor(geometry.recordSize);
    this.floats[CREATED_US_OFFSET >> 3] = createdUs;
    this.floats[FIRST_SEQUENCE_OFFSET >> 3] = startSequence;
    const lo = startSequence >>> 0;
    const hi = (startSequence - lo) / SEQ_HI_MULTIPLIER;
    w[CLAIM_LO] = lo;
    w[CLAIM_HI] = hi;
    w[PUBLISH_LO] = lo;
    w[PUBLISH_HI] = hi;
    Atomics.store(w, MAGIC, RING_MAGIC);
  }

  /** Reads and checks the static fields; throws RingLayoutError naming what is wrong. */
  readGeometry(ring: string, mappedBytes: number): RingGeometry {
    const w = this.words;
    const magic = Atomics.load(w, MAGIC);
    if (magic !== RING_MAGIC) {
      throw new RingLayoutError(ring, `not a Deepwater ring (magic 0x${magic.toString(16)})`);
    }
    if (w[VERSION] !== RING_VERSION) {
      throw new RingLayoutError(
        ring,
        `ring format version ${w[VERSION]} is not supported by this build, which reads and writes ` +
          `version ${RING_VERSION}; delete the ring (deleteRing / Platform.deleteFeed) and let the ` +
          'writer recreate it',
      );
    }
    if (w[HEADER_LEN] !== HEADER_LENGTH) {
      throw new RingLayoutError(ring, `header length ${w[HEADER_LEN]} != ${HEADER_LENGTH}`);
    }
    const recordSize = w[RECORD_SIZE];
    const capacity = w[CAPACITY];
    if (recordSize < 1 || capacity < 1 || capacity > MAX_CAPACITY) {
      throw new RingLayoutError(ring, `invalid geometry (${capacity} records of ${recordSize} bytes)`);
    }
    if (w[SLOT_LENGTH] !== slotLengthFor(recordSize)) {
      throw new RingLayoutError(
        ring,
        `slot length ${w[SLOT_LENGTH]} != ${slotLengthFor(recordSize)} for ${recordSize}-byte records`,
      );
    }
    const needed = HEADER_LENGTH + slotLengthFor(recordSize) * capacity;
    if (mappedBytes < needed) {
      throw new RingLayoutError(ring, `shared memory is ${mappedBytes} bytes, the header says ${needed}`);
    }
    const tsOffset = w[TIMESTAMP_OFFSET];
    return {
      recordSize,
      capacity,
      timestampOffset: tsOffset === NO_TIMESTAMP ? null : tsOffset,
      timestampSigned: (w[FLAGS] & TIMESTAMP_SIGNED_FLAG) !== 0,
    };
  }

  get createdUs(): number {
    return this.floats[CREATED_US_OFFSET >> 3];
  }

  /** The first sequence this ring ever held (0 unless created with a startSequence). */
  get firstSequence(): number {
    return this.floats[FIRST_SEQUENCE_OFFSET >> 3];
  }

  /** Records published so far (acquire: record bytes below this are visible). */
  publishedSeqAcquire(): number {
    return this.loadSeq(PUBLISH_LO, PUBLISH_HI);
  }

  /** Highest sequence the writer has claimed (may be ahead of published while it copies). */
  claimedSeqAcquire(): number {
    return this.loadSeq(CLAIM_LO, CLAIM_HI);
  }

  /** The low word alone: the futex word blocking readers sleep on. */
  publishedLoAcquire(): number {
    return Atomics.load(this.words, PUBLISH_LO);
  }

  /** Stored BEFORE any slot is marked busy, so a reader that meets a busy or newer stamp (or
   * re-checks after a bulk copy) knows which records are being overwritten. */
  storeClaimSeq(seq: number, previousHi: number): number {
    return this.storeSeq(CLAIM_LO, CLAIM_HI, seq, previousHi);
  }

  /** Fast path of storeClaimSeq when HI does not change (the caller checked). */
  storeClaimLo(lo: number): void {
    if (STORES_STAY_ORDERED) this.words[CLAIM_LO] = lo;
    else Atomics.store(this.words, CLAIM_LO, lo);
  }

  /** Release store: every record byte written before it is visible to a reader that loads it. */
  publishSeqRelease(seq: number, previousHi: number): number {
    return this.storeSeq(PUBLISH_LO, PUBLISH_HI, seq, previousHi);
  }

  /** Fast path of publishSeqRelease when HI does not change (the caller checked). */
  publishLoRelease(lo: number): void {
    Atomics.store(this.words, PUBLISH_LO, lo);
  }

  waitersAcquire(): number {
    return Atomics.load(this.words, WAITERS);
  }

  addWaiter(): void {
    Atomics.add(this.words, WAITERS, 1);
  }

  removeWaiter(): void {
    Atomics.sub(this.words, WAITERS, 1);
  }

  /** Called by a writer once it holds the lock. */
  recordWriterStart(pid: number): void {
    Atomics.store(this.words, WRITER_PID, pid);
    Atomics.add(this.words, WRITER_STARTS, 1);
  }

  get writerPid(): number {
    return Atomics.load(this.words, WRITER_PID);
  }

  get writerStarts(): number {
    return Atomics.load(this.words, WRITER_STARTS);
  }

  /** Consistent 53-bit read: retry while a HI word is being changed (generation odd or moved). */
  private loadSeq(loIndex: number, hiIndex: number): number {
    const w = this.words;
    for (;;) {
      const before = Atomics.load(w, GENERATION);
      const lo = Atomics.load(w, loIndex);
      const hi = Atomics.load(w, hiIndex);
      if ((before & 1) === 0 && Atomics.load(w, GENERATION) === before) return hi * SEQ_HI_MULTIPLIER + lo;
    }
  }

  /** Returns the HI word now stored; the caller keeps it so the common path is one LO store. */
  private storeSeq(loIndex: number, hiIndex: number, seq: number, previousHi: number): number {
    const lo = seq >>> 0;
    const hi = (seq - lo) / SEQ_HI_MULTIPLIER;
    if (hi === previousHi) {
      Atomics.store(this.words, loIndex, lo);
      return hi;
    }
    // Carry: readers must not combine the new HI with the old LO (or the reverse).
    const w = this.words;
    Atomics.add(w, GENERATION, 1);
    Atomics.store(w, hiIndex, hi);
    Atomics.store(w, loIndex, lo);
    Atomics.add(w, GENERATION, 1);
    return hi;
  }
}
