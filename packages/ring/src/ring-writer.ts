import { DeepwaterRangeError } from '@deepwater/errors';
import {
  type FileLock,
  futexWake,
  lockHolder,
  type Mapping,
  nowMicros,
  openShm,
  tryLockFile,
  unlinkShm,
} from '@deepwater/storage-native';
import { RingClosedError, RingForeignError, RingLayoutError, RingLockedError } from './errors.js';
import {
  checkGeometry,
  describeGeometry,
  readTimestamp,
  ringByteLength,
  sameGeometry,
  slotLengthFor,
} from './geometry.js';
import { type RingGeometry, RingHeader, STORES_STAY_ORDERED } from './header.js';
import {
  CLAIM_LO_OFFSET,
  DATA_OFFSET,
  HEADER_LENGTH,
  MAX_SEQUENCE,
  PUBLISH_LO_OFFSET,
  RING_MAGIC,
  SEQ_HI_MULTIPLIER,
  SLOT_HEADER_LENGTH,
  STAMP_BUSY,
  STAMP_LO_PERIOD,
  WAITERS_OFFSET,
} from './layout.js';
import { defaultLockPath } from './names.js';

// The per-record paths use only this module's own top-level consts: V8 folds those into optimized
// code, but loads an imported binding from its module cell, with a TDZ check, at every use (in
// writeBatch's loop: the ordered-store flag, the stamp and the slot header, per record).
const ORDERED = STORES_STAY_ORDERED;
const BUSY = STAMP_BUSY;
const SLOT_HEADER_BYTES = SLOT_HEADER_LENGTH;
const FIRST_SLOT_WORD = DATA_OFFSET / 4;
const CLAIM_LO = CLAIM_LO_OFFSET / 4;
const PUBLISH_LO = PUBLISH_LO_OFFSET / 4;
const WAITERS = WAITERS_OFFSET / 4;
/** A bulk write marks, fills and stamps this many bytes of slots at a time: within L1/L2 cache. */
const BULK_BLOCK_BYTES = 64 * 1024;
const SLOT_HEADER_WORDS = SLOT_HEADER_LENGTH / 4;

import { copyRecords, stampHiOf, stampLoOf, WORD_COPY_MAX_BYTES } from './slots.js';

export interface RingWriterOptions {
  /** Bytes per record. */
  recordSize: number;
  /** Records the ring holds (see capacityFor to derive it from a byte budget). */
  capacity: number;
  /** Byte offset of a little-endian 64-bit timestamp in each record; enables time seeks. */
  timestampOffset?: number | null;
  /** The timestamp is int64 (true) or uint64 (false, the default). */
  timestampSigned?: boolean;
  /** Lock file that enforces one writer; default `/dev/shm/<name>.lock`. */
  lockPath?: string;
  /** A writer lock the caller already took (e.g. on a feed directory). Once open() succeeds the
   * writer owns it and releases it on close; if open() throws, the caller still owns it. */
  heldLock?: FileLock;
  /** First sequence of a NEW ring (default 0); ignored when the ring exists. */
  startSequence?: number;
  /**
   * Permission bits (0..0o777) of the shm object (and default lock file) when this writer creates
   * them, whatever the umask; an existing ring keeps its mode. Default 0o644 less the umask.
   */
  mode?: number;
}

/**
 * RingWriter — one per ring across processes, enforced by a kernel lock (released by the kernel
 * if the process dies). Writes claim → copy → publish: the claim marks each slot's stamp busy
 * before a byte of it changes, publish stamps each record complete, then stores the published
 * sequence. Readers are never waited for; the oldest records are overwritten when the ring is
 * full. Attaching to an existing ring (after a crash or a clean close) keeps its records and
 * continues its sequence. Closing never unlinks the ring: readers may still be reading
 * (deleteRing removes it).
 */
export class RingWriter implements Disposable {
  readonly name: string;
  readonly recordSize: number;
  readonly capacity: number;
  readonly timestampOffset: number | null;
  readonly lockPath: string;
  /** The whole mapping: encode records in place at the offsets claim()/offsetAt() return. */
  readonly view: DataView;
  readonly bytes: Uint8Array;

  private readonly mapping: Mapping;
  private readonly lock: FileLock;
  private readonly header: RingHeader;
  private readonly headerWords: Uint32Array;
  /** The whole mapping as 32-bit words (slot stamps). */
  private readonly words: Uint32Array;
  private readonly timestampSigned: boolean;
  // The numeric fields start at 0, not undefined (an ES2022 class field without an initializer is
  // defined as undefined first): a field that held undefined is a tagged field to V8, and the
  // per-record arithmetic on it went through float conversions (writeOne ~1.2x slower).
  /** Bytes from one slot to the next (stamp + padded record). */
  private readonly slotLength: number = 0;
  /** The same in 32-bit words, and the word index just past the last slot. */
  private readonly slotWords: number = 0;
  private readonly endWord: number = 0;
  private published = 0;
  /** Word index of the STAMP_LO of the slot record `published` goes to, and the stamp it gets. */
  private stampWord = 0;
  private nextStampLo = 0;
  private nextStampHi = 0;
  private claimedHighWater = 0;
  private claimHi = 0;
  private publishHi = 0;
  /** First sequence whose HI word differs from claimHi / publishHi: below it one LO store suffices. */
  private claimCarry = 0;
  private publishCarry = 0;
  private pending = 0;
  private closed = false;
  /**
   * Settles once every page of the ring is mapped into this process (started by open(), on a
   * threadpool thread); never rejects. Writes need not wait for it: until then a write may take
   * a minor page fault on a page it touches first.
   */
  readonly prefaulted: Promise<void>;
  /** writeOne() takes its short path while the record's end sequence is below this: no HI word
   * of CLAIM or PUBLISH and no STAMP_LO wraps on the way. 0 while a claim is pending or the writer
   * is closed, so that the short path needs this one check. */
  private fastUntil = 0;

  private constructor(
    name: string,
    lockPath: string,
    lock: FileLock,
    mapping: Mapping,
    geometry: RingGeometry,
  ) {
    this.name = name;
    this.lockPath = lockPath;
    this.lock = lock;
    this.mapping = mapping;
    this.recordSize = geometry.recordSize;
    this.capacity = geometry.capacity;
    this.timestampOffset = geometry.timestampOffset;
    this.timestampSigned = geometry.timestampSigned;
    this.slotLength = slotLengthFor(geometry.recordSize);
    this.slotWords = this.slotLength / 4;
    this.endWord = (DATA_OFFSET + this.capacity * this.slotLength) / 4;
    const buffer = mapping.buffer;
    this.header = new RingHeader(buffer);
    this.headerWords = this.header.words;
    this.words = new Uint32Array(buffer);
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    this.header.recordWriterStart(process.pid);
    let published = this.header.publishedSeqAcquire();
    // A writer that died mid-batch left claim > published: keep the claim word monotonic so that
    // readers keep treating the slots it may have half-written as overwritten.
    this.claimedHighWater = Math.max(this.header.claimedSeqAcquire(), published);
    // Records it had already stamped complete are whole, and readers may have returned them:
    // adopt them instead of writing different records under the same sequences.
    while (
      published < this.claimedHighWater &&
      this.stampLoAt(published % this.capacity) === stampLoOf(published) &&
      this.stampHiAt(published % this.capacity) === stampHiOf(published)
    ) {
      published++;
    }
    this.publishHi = Math.floor(this.header.publishedSeqAcquire() / SEQ_HI_MULTIPLIER);
    if (published !== this.header.publishedSeqAcquire()) {
      this.publishHi = this.header.publishSeqRelease(published, this.publishHi);
    }
    this.published = published;
    this.claimHi = Math.floor(this.claimedHighWater / SEQ_HI_MULTIPLIER);
    this.claimCarry = (this.claimHi + 1) * SEQ_HI_MULTIPLIER;
    this.publishCarry = (this.publishHi + 1) * SEQ_HI_MULTIPLIER;
    this.stampWord = (DATA_OFFSET + (published % this.capacity) * this.slotLength) / 4;
    this.nextStampLo = stampLoOf(published);
    this.nextStampHi = stampHiOf(published);
    this.refreshFastUntil();
    // Each 4 KiB page of the ring costs a minor fault (~1-3 µs in a VM) the first time this process
    // touches it: a fresh ring's writes paid ~8 faults per 1000 24-byte records. Map every page
    // in now, on a threadpool thread, while the first writes go ahead. Only an optimisation: if it
    // fails (or the kernel predates 5.14), pages fault in on first touch as before.
    this.prefaulted = mapping.prefaultAsync().catch(() => {});
  }

  /**
   * Takes the writer lock, then creates the ring or attaches to the existing one. Throws
   * RingLockedError (with the holder's pid) if another writer holds it, and RingLayoutError if
   * an existing ring has a different geometry or format version.
   */
  static open(name: string, options: RingWriterOptions): RingWriter {
    const geometry: RingGeometry = {
      recordSize: options.recordSize,
      capacity: options.capacity,
      timestampOffset: options.timestampOffset ?? null,
      timestampSigned: options.timestampSigned ?? false,
    };
    checkGeometry(name, geometry);
    const startSequence = options.startSequence ?? 0;
    if (!Number.isSafeInteger(startSequence) || startSequence < 0) {
      throw new DeepwaterRangeError(
        `Ring "${name}": startSequence must be a non-negative safe integer, got ${startSequence}`,
      );
    }
    const lockPath = options.heldLock?.path ?? options.lockPath ?? defaultLockPath(name);
    const lock =
      options.heldLock ??
      tryLockFile(lockPath, {
        ...(options.mode === undefined ? {} : { mode: options.mode }),
        noFollow: options.lockPath === undefined, // /dev/shm is shared with every user
      });
    if (lock === null) throw new RingLockedError(name, lockPath, lockHolder(lockPath));
    let mapping: Mapping | undefined;
    try {
      mapping = attachOrCreate(name, geometry, startSequence, options.mode);
      return new RingWriter(name, lockPath, lock, mapping, geometry);
    } catch (error) {
      mapping?.close();
      if (options.heldLock === undefined) lock.release();
      throw error;
    }
  }

  /** Sequence the next record will get; equals the records published since the ring began. */
  get sequence(): number {
    return this.published;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Timestamp of the newest published record (read from the record), or null. */
  get lastTimestamp(): number | null {
    if (this.timestampOffset === null || this.published <= this.header.firstSequence) return null;
    const slot = this.slot === 0 ? this.capacity - 1 : this.slot - 1;
    return readTimestamp(this.view, this.recordOffset(slot) + this.timestampOffset, this.timestampSigned);
  }

  /**
   * Claims `count` (1..capacity) consecutive slots and returns the byte offset of the first
   * record; use offsetAt(i) for the i-th (records are not contiguous: each slot starts with its
   * stamp, and the run wraps at the physical end). Encode, then publish(). Claiming again before
   * publish() discards the unpublished claim; its slots stay invalid until they are rewritten.
   */
  claim(count = 1): number {
    // One record, the common case, in as few bytecodes as possible so V8 inlines it into the
    // caller along with the record's encoder; checks, batches and carries live in other methods.
    if (count !== 1 || this.closed) return this.claimChecked(count);
    const end = this.published + 1;
    if (ORDERED && end > this.claimedHighWater && end < this.claimCarry) {
      // Before the stamp: a reader that meets a busy or newer stamp loads this word to tell
      // "being overwritten" (lapped) from "not written yet".
      this.headerWords[CLAIM_LO] = end;
      this.claimedHighWater = end;
    } else {
      this.raiseClaim(end);
    }
    // Busy before a byte of the slot changes: a reader that copied the old record there re-reads
    // the stamp afterwards and discards its copy.
    const first = this.stampWord;
    if (ORDERED) this.words[first] = BUSY;
    else Atomics.store(this.words, first, BUSY);
    this.pending = 1;
    this.fastUntil = 0; // writeOne() must not run past the pending claim
    return first * 4 + SLOT_HEADER_BYTES;
  }

  /** claim() of a batch, or of anything on a closed writer. */
  private claimChecked(count: number): number {
    this.checkClaim(count);
    this.raiseClaim(this.published + count);
    const first = this.stampWord;
    this.markBusy(first, count);
    this.pending = count;
    this.fastUntil = 0; // writeOne() must not run past the pending claim
    return first * 4 + SLOT_HEADER_BYTES;
  }

  /** Stores CLAIM = end unless it is already there (never lowered). */
  private raiseClaim(end: number): void {
    if (end <= this.claimedHighWater) return;
    // Before the stamps: a reader that meets a busy or newer stamp loads this word to tell
    // "being overwritten" (lapped) from "not written yet".
    if (end >= this.claimCarry) this.claimSlow(end);
    else if (ORDERED) this.headerWords[CLAIM_LO] = end >>> 0;
    else Atomics.store(this.headerWords, CLAIM_LO, end >>> 0);
    this.claimedHighWater = end;
  }

  private checkClaim(count: number): void {
    if (this.closed) throw new RingClosedError(this.name, 'writer');
    if (!(count >= 1 && count <= this.capacity && (count | 0) === count)) {
      throw new DeepwaterRangeError(
        `Ring "${this.name}": claim count must be an integer in 1..${this.capacity}, got ${count}`,
      );
    }
  }

  private markBusy(first: number, count: number): void {
    const words = this.words;
    const slotWords = this.slotWords;
    const endWord = this.endWord;
    for (let i = 0, word = first; i < count; i++) {
      if (ORDERED) words[word] = BUSY;
      else Atomics.store(words, word, BUSY);
      word += slotWords;
      if (word === endWord) word = FIRST_SLOT_WORD;
    }
  }

  /** Byte offset of record `index` of the current claim (0-based). */
  offsetAt(index: number): number {
    let slot = this.slot + index;
    if (slot >= this.capacity) slot -= this.capacity;
    return this.recordOffset(slot);
  }

  /**
   * Stamps every claimed record complete, then stores the published sequence (one release store
   * per batch) and wakes blocked readers. A reader spinning on a slot's stamp may return each
   * record as soon as its stamp is complete.
   */
  publish(): void {
    if (this.pending !== 1) {
      this.publishMany();
      return;
    }
    // One record, the common case: kept inline (no further calls) so V8 inlines all of it.
    this.pending = 0;
    const word = this.stampWord;
    // HI first: the reader trusts HI only together with a complete LO (stores stay ordered).
    this.words[word + 1] = this.nextStampHi;
    if (ORDERED) this.words[word] = this.nextStampLo;
    else Atomics.store(this.words, word, this.nextStampLo);
    const lo = this.nextStampLo + 2;
    if (lo > 0xffffffff) this.carryStamp();
    else this.nextStampLo = lo;
    const next = word + this.slotWords;
    this.stampWord = next === this.endWord ? FIRST_SLOT_WORD : next;
    const end = this.published + 1;
    if (end < this.publishCarry) Atomics.store(this.headerWords, PUBLISH_LO, end >>> 0);
    else this.publishSlow(end);
    this.published = end;
    // Same wake-up rule as publishStamped().
    const waiters = ORDERED ? this.headerWords[WAITERS] : Atomics.load(this.headerWords, WAITERS);
    if (waiters !== 0) futexWake(this.mapping.buffer, PUBLISH_LO_OFFSET);
  }

  /** publish() of a batch (or of nothing). */
  private publishMany(): void {
    const count = this.pending;
    if (count === 0) return;
    this.pending = 0;
    this.stampRun(count);
    this.publishStamped(count);
  }

  /** Stores the published sequence past `count` records already stamped complete, then wakes. */
  private publishStamped(count: number): void {
    const end = this.published + count;
    // Release, and a full fence before the WAITERS load below (no lost wake-up).
    if (end < this.publishCarry) Atomics.store(this.headerWords, PUBLISH_LO, end >>> 0);
    else this.publishSlow(end);
    this.published = end;
    // An unconditional FUTEX_WAKE costs ~180 ns; only blocked readers announce themselves. The
    // PUBLISH Atomics.store above is a full fence, so on x86 a plain load of WAITERS cannot be
    // satisfied before it (the no-lost-wake-up argument needs exactly that order).
    const waiters = ORDERED ? this.headerWords[WAITERS] : Atomics.load(this.headerWords, WAITERS);
    if (waiters !== 0) futexWake(this.mapping.buffer, PUBLISH_LO_OFFSET);
  }

  /** Stamps `count` claimed records complete, in order. */
  private stampRun(count: number): void {
    const words = this.words;
    const slotWords = this.slotWords;
    const endWord = this.endWord;
    let word = this.stampWord;
    let lo = this.nextStampLo;
    let hi = this.nextStampHi;
    for (let i = 0; i < count; i++) {
      words[word + 1] = hi;
      if (ORDERED) words[word] = lo;
      else Atomics.store(words, word, lo);
      lo += 2;
      if (lo > 0xffffffff) {
        lo = 1; // STAMP_LO wraps to sequence 0 mod 2^31 and STAMP_HI moves on
        hi++;
      }
      word += slotWords;
      if (word === endWord) word = FIRST_SLOT_WORD;
    }
    this.stampWord = word;
    this.nextStampLo = lo;
    this.nextStampHi = hi;
  }

  /** Once per 2^31 records: STAMP_LO wraps to sequence 0 mod 2^31 and STAMP_HI moves on. */
  private carryStamp(): void {
    this.nextStampLo = 1;
    this.nextStampHi++;
  }

  /** Once per 2^32 records: the HI word changes under the generation bracket. */
  private publishSlow(end: number): void {
    this.publishHi = this.header.publishSeqRelease(end, this.publishHi);
    this.publishCarry = (this.publishHi + 1) * SEQ_HI_MULTIPLIER;
  }

  /** Claims one slot, lets `encode` fill it in place, publishes. If encode throws, nothing is published. */
  write(encode: (view: DataView, byteOffset: number) => void): void {
    const offset = this.claim(1);
    try {
      encode(this.view, offset);
    } catch (error) {
      this.pending = 0;
      throw error;
    }
    this.publish();
  }

  /**
   * Writes one record: encode(view, byteOffset, arg) fills the claimed slot in place, then it is
   * published. The same as claim(1) → encode → publish() in one small method, so that V8 can
   * inline it together with `encode` into the caller (e.g. a codec's encoder, with the values as
   * `arg`). If encode throws, nothing is published.
   */
  writeOne<A>(encode: (view: DataView, byteOffset: number, arg: A) => void, arg: A): void {
    // Kept small: V8 inlines it with the encoder into the caller only within a bytecode budget
    // (the sdk's writeTuple, validator, this and the encoder came to 946 bytes of a 920 budget
    // with the ordered-store branches here; the encoder then became a call). Plain stores in the
    // order claim() → encode → publish() use; where stores are not kept in order (fastUntil stays
    // 0), every write takes writeOneSlowly(): claim() and publish(), which order them with Atomics.
    // `words` starts at byte 0, so it also holds the header's CLAIM, PUBLISH and WAITERS words.
    const end = this.published + 1;
    if (end >= this.fastUntil) {
      this.writeOneSlowly(encode, arg);
      return;
    }
    const words = this.words;
    const word = this.stampWord;
    if (end > this.claimedHighWater) {
      words[CLAIM_LO] = end; // before the busy stamp (see claim())
      this.claimedHighWater = end;
    }
    words[word] = BUSY;
    encode(this.view, word * 4 + SLOT_HEADER_BYTES, arg); // throws before publication: slot stays busy
    words[word + 1] = this.nextStampHi;
    words[word] = this.nextStampLo;
    this.nextStampLo += 2;
    const next = word + this.slotWords;
    this.stampWord = next === this.endWord ? FIRST_SLOT_WORD : next;
    Atomics.store(words, PUBLISH_LO, end); // stored as end mod 2^32; a full fence before WAITERS
    this.published = end;
    if (words[WAITERS] !== 0) futexWake(this.mapping.buffer, PUBLISH_LO_OFFSET);
  }

  /** writeOne() across a carry, on a closed writer, or after an unpublished claim. */
  private writeOneSlowly<A>(encode: (view: DataView, byteOffset: number, arg: A) => void, arg: A): void {
    const offset = this.claim(1);
    try {
      encode(this.view, offset, arg);
    } catch (error) {
      this.pending = 0;
      throw error;
    }
    this.publish();
    this.refreshFastUntil();
  }

  private refreshFastUntil(): void {
    if (!ORDERED || this.closed || this.pending !== 0) {
      this.fastUntil = 0;
      return;
    }
    const stampWrap = (stampHiOf(this.published) + 1) * STAMP_LO_PERIOD;
    this.fastUntil = Math.min(this.claimCarry, this.publishCarry, stampWrap);
  }

  /** The slot record `published` goes to (derived: the short write path keeps only stampWord). */
  private get slot(): number {
    return (this.stampWord - FIRST_SLOT_WORD) / this.slotWords;
  }

  /**
   * Writes `count` records, encode(view, byteOffset, index) filling each in place, in one pass:
   * each slot is marked busy, encoded and stamped complete before the next, then one release
   * store publishes them all (batches larger than the ring are published in ring-sized parts, in
   * order). If encode throws, the records before it are published (readers spinning on stamps
   * may already have returned them) and the error propagates.
   */
  writeBatch(count: number, encode: (view: DataView, byteOffset: number, index: number) => void): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new DeepwaterRangeError(
        `Ring "${this.name}": batch count must be a non-negative integer, got ${count}`,
      );
    }
    for (let done = 0; done < count; ) {
      const part = Math.min(count - done, this.capacity);
      this.checkClaim(part);
      this.raiseClaim(this.published + part);
      let written = 0;
      try {
        while (written < part) {
          // A run never crosses a STAMP_LO wrap, so its loop needs no carry check.
          const run = Math.min(part - written, (0xffffffff - this.nextStampLo) / 2 + 1);
          const first = this.stampWord;
          try {
            this.encodeRun(run, encode, done + written);
          } catch (error) {
            const completed = this.completedSince(first, run);
            this.advanceStamps(completed);
            written += completed;
            throw error;
          }
          this.advanceStamps(run);
          written += run;
        }
      } finally {
        // The slot encode threw on stays busy; the complete ones before it are published.
        this.pending = 0;
        if (written > 0) this.publishStamped(written);
      }
      done += part;
    }
  }

  /**
   * writeBatch()'s loop over `count` slots from stampWord, none across a STAMP_LO wrap: busy,
   * encode(view, byteOffset, base + i), stamp complete. Its own function without a try block, so
   * that V8 keeps the slot word and the stamp in integer registers (STAMP_LO is an int32 here: a
   * Uint32Array stores its bits); the caller moves stampWord and the stamp on afterwards.
   */
  private encodeRun(
    count: number,
    encode: (view: DataView, byteOffset: number, index: number) => void,
    base: number,
  ): void {
    const view = this.view;
    const words = this.words;
    const slotWords = this.slotWords;
    const endWord = this.endWord;
    const hi = this.nextStampHi;
    let lo = this.nextStampLo | 0;
    let word = this.stampWord;
    for (let i = 0; i < count; i++) {
      if (ORDERED) words[word] = BUSY;
      else Atomics.store(words, word, BUSY);
      encode(view, word * 4 + SLOT_HEADER_BYTES, base + i);
      words[word + 1] = hi;
      if (ORDERED) words[word] = lo;
      else Atomics.store(words, word, lo);
      lo = (lo + 2) | 0;
      word += slotWords;
      if (word === endWord) word = FIRST_SLOT_WORD; // the physical end: continue at slot 0
    }
  }

  /** How many of the `count` slots from stampWord `first` an interrupted encodeRun stamped complete. */
  private completedSince(first: number, count: number): number {
    let word = first;
    for (let i = 0; i < count; i++) {
      if (this.words[word] === BUSY) return i;
      word += this.slotWords;
      if (word === this.endWord) word = FIRST_SLOT_WORD;
    }
    return count;
  }

  /** Moves stampWord and the next stamp past `count` slots just stamped (at most to a STAMP_LO wrap). */
  private advanceStamps(count: number): void {
    const word = this.stampWord + count * this.slotWords;
    this.stampWord = word >= this.endWord ? word - (this.endWord - FIRST_SLOT_WORD) : word;
    const lo = this.nextStampLo + 2 * count;
    if (lo > 0xffffffff) this.carryStamp();
    else this.nextStampLo = lo;
  }

  /** Copies whole records (a multiple of recordSize bytes) into the ring and publishes them. */
  writeBytes(records: Uint8Array): void {
    if (this.closed) throw new RingClosedError(this.name, 'writer');
    const size = this.recordSize;
    if (records.byteLength % size !== 0) {
      throw new DeepwaterRangeError(
        `Ring "${this.name}": writeBytes needs whole ${size}-byte records, got ${records.byteLength} bytes`,
      );
    }
    const total = records.byteLength / size;
    const wordCopy = size <= WORD_COPY_MAX_BYTES && (size & 3) === 0 && (records.byteOffset & 3) === 0;
    const source = wordCopy
      ? new Uint32Array(records.buffer, records.byteOffset, records.byteLength >>> 2)
      : null;
    const bytes = this.bytes;
    const slotLength = this.slotLength;
    for (let done = 0; done < total; ) {
      const part = Math.min(total - done, this.capacity);
      const base = done;
      if (source !== null) this.copyWordsStamped(source, (base * size) >>> 2, part);
      else
        this.writeBlocks(part, (slot, from, n) =>
          copyRecords(
            records,
            (base + from) * size,
            size,
            bytes,
            this.recordOffset(slot),
            slotLength,
            size,
            n,
          ),
        );
      done += part;
    }
  }

  /**
   * writeBytes() of word-aligned records: claims `count` (<= capacity) slots, then per slot marks
   * it busy, copies the record's words from `source` (starting at word `sourceWord`) and stamps it
   * complete — writeBatch's order, so a reader never takes a torn record — in one loop, then one
   * PUBLISH store. One pass over each slot instead of three (busy, copy, stamp), and no call per record.
   */
  private copyWordsStamped(source: Uint32Array, sourceWord: number, count: number): void {
    this.checkClaim(count);
    this.raiseClaim(this.published + count);
    const words = this.words;
    const slotWords = this.slotWords;
    const endWord = this.endWord;
    const recordWords = this.recordSize >>> 2;
    let word = this.stampWord;
    let lo = this.nextStampLo;
    let hi = this.nextStampHi;
    for (let i = 0, from = sourceWord; i < count; i++, from += recordWords) {
      if (ORDERED) words[word] = BUSY;
      else Atomics.store(words, word, BUSY);
      const to = word + SLOT_HEADER_WORDS;
      for (let w = 0; w < recordWords; w++) words[to + w] = source[from + w];
      words[word + 1] = hi;
      if (ORDERED) words[word] = lo;
      else Atomics.store(words, word, lo);
      lo += 2;
      if (lo > 0xffffffff) {
        lo = 1; // STAMP_LO wraps to sequence 0 mod 2^31 and STAMP_HI moves on
        hi++;
      }
      word += slotWords;
      if (word === endWord) word = FIRST_SLOT_WORD; // the physical end: continue at slot 0
    }
    this.stampWord = word;
    this.nextStampLo = lo;
    this.nextStampHi = hi;
    this.pending = 0;
    this.publishStamped(count);
  }

  /**
   * Writes `count` whole records that `fill(bytes, byteOffset, stride, from, n)` copies in: records
   * [from, from + n) of the caller's source go to `bytes` at byteOffset, one every `stride` bytes
   * (the slot length). Like writeBytes — claimed, filled in cache-sized blocks, published in
   * ring-sized parts — for sources that are not contiguous records (e.g. columns). If fill throws,
   * the blocks before it are published (like writeBatch) and the failing block's slots stay busy.
   */
  writeRecords(
    count: number,
    fill: (bytes: Uint8Array, byteOffset: number, stride: number, from: number, n: number) => void,
  ): void {
    if (this.closed) throw new RingClosedError(this.name, 'writer');
    if (!Number.isInteger(count) || count < 0) {
      throw new DeepwaterRangeError(
        `Ring "${this.name}": record count must be a non-negative integer, got ${count}`,
      );
    }
    const bytes = this.bytes;
    const slotLength = this.slotLength;
    for (let done = 0; done < count; ) {
      const part = Math.min(count - done, this.capacity);
      const base = done;
      this.writeBlocks(part, (slot, from, n) =>
        fill(bytes, this.recordOffset(slot), slotLength, base + from, n),
      );
      done += part;
    }
  }

  /**
   * Claims `count` (<= capacity) records, then per block of slots that fits in the cache: marks
   * them busy, has `fillBlock(firstSlot, from, n)` write records [from, from + n) of the claim, and
   * stamps them complete — one pass through the cache per block, where busy-all, copy-all, stamp-all
   * made three passes through memory over the whole claim. Each slot goes busy → bytes → stamp, the
   * order writeBatch keeps, so a reader never takes a torn record. One PUBLISH store at the end.
   */
  private writeBlocks(count: number, fillBlock: (firstSlot: number, from: number, n: number) => void): void {
    this.checkClaim(count);
    this.raiseClaim(this.published + count);
    const capacity = this.capacity;
    const block = Math.max(1, Math.floor(BULK_BLOCK_BYTES / this.slotLength));
    let slot = this.slot;
    let written = 0;
    try {
      while (written < count) {
        // A block never crosses the physical end: the fill gets one contiguous run of slots.
        const n = Math.min(block, count - written, capacity - slot);
        this.markBusy(this.stampWord, n);
        fillBlock(slot, written, n);
        this.stampRun(n);
        written += n;
        slot += n;
        if (slot === capacity) slot = 0;
      }
    } finally {
      this.pending = 0;
      if (written > 0) this.publishStamped(written);
    }
  }

  /** Once per 2^32 records: the HI word changes under the generation bracket. */
  private claimSlow(end: number): void {
    if (end > MAX_SEQUENCE) throw new DeepwaterRangeError(`Ring "${this.name}": sequence space exhausted`);
    this.claimHi = this.header.storeClaimSeq(end, this.claimHi);
    this.claimCarry = (this.claimHi + 1) * SEQ_HI_MULTIPLIER;
  }

  private recordOffset(slot: number): number {
    return DATA_OFFSET + slot * this.slotLength + SLOT_HEADER_LENGTH;
  }

  private stampLoAt(slot: number): number {
    return Atomics.load(this.words, (DATA_OFFSET + slot * this.slotLength) / 4);
  }

  private stampHiAt(slot: number): number {
    return Atomics.load(this.words, (DATA_OFFSET + slot * this.slotLength) / 4 + 1);
  }

  /** Unmaps and releases the lock; unpublished claims are dropped. Idempotent. Never unlinks. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = 0;
    this.fastUntil = 0;
    this.mapping.close();
    this.lock.release();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Creates the ring exclusively (O_EXCL: a name somebody else took is never silently adopted), or
 * attaches to the one that is there after checking that it is ours: same owner, ring magic,
 * version and geometry. Called with the writer lock held.
 */
function attachOrCreate(
  name: string,
  geometry: RingGeometry,
  startSequence: number,
  mode: number | undefined,
): Mapping {
  const size = ringByteLength(geometry);
  // Two rounds at most: a dead creator's half-made ring is removed once, then created afresh.
  for (let attempt = 0; attempt < 2; attempt++) {
    let created: Mapping | undefined;
    try {
      created = openShm(name, {
        size,
        create: true,
        exclusive: true,
        ...(mode === undefined ? {} : { mode }),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
    if (created !== undefined) {
      new RingHeader(created.buffer).initialise(geometry, nowMicros(), startSequence);
      return created;
    }
    const existing = openExistingRing(name, geometry, size);
    if (existing !== null) return existing;
  }
  throw new RingForeignError(
    name,
    'keeps reappearing without a ring header while this writer holds the lock',
  );
}

/** The existing ring if it is usable; null if it vanished or was a dead creator's (then removed). */
function openExistingRing(name: string, geometry: RingGeometry, size: number): Mapping | null {
  let existing: Mapping;
  try {
    existing = openShm(name, { mustOwn: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return null; // unlinked since: create it
    if (code === 'EPERM')
      throw new RingForeignError(name, `belongs to another user (${(error as Error).message})`, error);
    if (code === 'EINVAL') throw new RingForeignError(name, 'is empty (0 bytes)', error);
    throw error;
  }
  if (existing.size < HEADER_LENGTH) {
    existing.close();
    throw new RingForeignError(
      name,
      `is ${existing.size} bytes, smaller than a ${HEADER_LENGTH}-byte ring header`,
    );
  }
  const magic = new RingHeader(existing.buffer).magicAcquire();
  if (magic === 0 && existing.size === size) {
    // Ours, sized for this ring, header never finished: its creator died while initialising it.
    // We hold the writer lock, so nobody else is creating it: start it afresh.
    existing.close();
    unlinkShm(name);
    return null;
  }
  if (magic !== RING_MAGIC) {
    existing.close();
    throw new RingForeignError(
      name,
      magic === 0
        ? `has no ring header and is ${existing.size} bytes, not the ${size} this ring needs`
        : `does not start with the ring magic (found 0x${magic.toString(16)})`,
    );
  }
  let found: RingGeometry;
  try {
    found = new RingHeader(existing.buffer).readGeometry(name, existing.size);
  } catch (error) {
    existing.close();
    throw error;
  }
  if (!sameGeometry(found, geometry)) {
    existing.close();
    throw new RingLayoutError(
      name,
      `exists with ${describeGeometry(found)}, but the writer needs ${describeGeometry(geometry)}; ` +
        'delete the ring first',
    );
  }
  return existing;
}
