import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import { futexWake, type Mapping, openShm, shmExists } from '@deepwater/storage-native';
import { RingClosedError, RingError, RingOverrunError } from './errors.js';
import { readTimestamp, readTimestampExact, slotLengthFor } from './geometry.js';
import { RingHeader, STORES_STAY_ORDERED } from './header.js';
import {
  DATA_OFFSET,
  HEADER_LENGTH,
  PUBLISH_LO_OFFSET,
  SLOT_HEADER_LENGTH,
  STAMP_BUSY,
  STAMP_EMPTY,
} from './layout.js';
import { copyRecords, stampedSequence, stampHiOf, stampLoOf } from './slots.js';
import {
  checkWaitStrategy,
  type WaitStrategy,
  waitForPublication,
  waitForPublicationAsync,
} from './wait-strategy.js';

export type OverrunPolicy = 'skip' | 'throw';

/** A write takes ~20 ns, a poll a few: a slot still busy after this many polls is worth a CLAIM load. */
const BUSY_POLLS_BEFORE_CLAIM_CHECK = 64;
/** A module-local copy: V8 folds a module's own consts into optimized code (see ring-writer.ts). */
const ORDERED = STORES_STAY_ORDERED;
const SLOT_HEADER_BYTES = SLOT_HEADER_LENGTH;

export interface RingReaderOptions {
  /** Lapped by the writer: 'skip' (default) jumps to the oldest valid record and counts the loss;
   * 'throw' does the same, then throws RingOverrunError. */
  onOverrun?: OverrunPolicy;
  /** Where the cursor starts: 'latest' (default: the next record published), 'oldest', or a sequence. */
  start?: 'latest' | 'oldest' | number;
}

export interface RingReaderStats {
  /** Records this reader skipped because the writer overwrote them first. Never silent. */
  lostRecords: number;
  /** Times the reader was lapped. */
  overruns: number;
}

export interface WaitOptions {
  strategy?: WaitStrategy;
  /** Default Infinity. */
  timeoutMs?: number;
}

/**
 * RingReader — owns its cursor and never slows the writer: it writes nothing shared except the
 * waiter count while it blocks. readEach checks each slot's stamp names the record it wants,
 * decodes, and re-checks the stamp (a seqlock per slot); readInto copies a run and re-checks the
 * writer's claim word. Records the writer overwrote meanwhile are discarded and counted in
 * stats.lostRecords, so a torn record is never returned.
 */
export class RingReader implements Disposable {
  readonly name: string;
  readonly recordSize: number;
  readonly capacity: number;
  readonly timestampOffset: number | null;
  /** The first sequence the ring ever held (records below it never existed). */
  readonly firstSequence: number;
  /** The whole mapping; only valid inside a read, as the writer may overwrite any slot later. */
  readonly view: DataView;
  readonly bytes: Uint8Array;

  private readonly mapping: Mapping;
  private readonly header: RingHeader;
  private readonly words: Uint32Array;
  private readonly timestampSigned: boolean;
  private readonly onOverrun: OverrunPolicy;
  /** Bytes from one slot to the next (stamp + padded record). */
  private readonly slotLength: number;
  /** The same in 32-bit words. */
  private readonly slotWords: number;
  private cursor = 0;
  private slot = 0;
  /** Index in `words` of the cursor slot's STAMP_LO, and the stamp that record `cursor` gets. */
  private stampWord = 0;
  private expectedLo = 0;
  private expectedHi = 0;
  /** Polls that found the cursor's slot busy since CLAIM was last consulted. */
  private busyPolls = 0;
  /**
   * The stamp (LO, HI) last found in the cursor's slot naming a record not to be read yet: the slot
   * empty, or holding a sequence at or below the cursor. While the slot still holds exactly it, a
   * poll is answered "not yet" inline (see readOne). A stamp names one sequence, so it stays a
   * "not yet" as the cursor advances; setCursor() forgets it (a seek may move the cursor back).
   * -1 never equals a stamp word.
   */
  private staleLo = -1;
  private staleHi = -1;
  private lost = 0;
  private overruns = 0;
  private closed = false;
  private pendingWaits = 0;

  private constructor(name: string, mapping: Mapping, options: RingReaderOptions) {
    const onOverrun = options.onOverrun ?? 'skip';
    if (onOverrun !== 'skip' && onOverrun !== 'throw') {
      throw new DeepwaterTypeError(
        `Ring "${name}": onOverrun must be 'skip' or 'throw', got ${String(onOverrun)}`,
      );
    }
    this.name = name;
    this.mapping = mapping;
    this.onOverrun = onOverrun;
    this.header = new RingHeader(mapping.buffer);
    const geometry = this.header.readGeometry(name, mapping.size);
    this.recordSize = geometry.recordSize;
    this.capacity = geometry.capacity;
    this.timestampOffset = geometry.timestampOffset;
    this.timestampSigned = geometry.timestampSigned;
    this.slotLength = slotLengthFor(geometry.recordSize);
    this.slotWords = this.slotLength / 4;
    this.firstSequence = this.header.firstSequence;
    this.words = new Uint32Array(mapping.buffer);
    this.view = new DataView(mapping.buffer);
    this.bytes = new Uint8Array(mapping.buffer);
    const start = options.start ?? 'latest';
    if (start === 'latest') this.seekLatest();
    else if (start === 'oldest') this.seekOldest();
    else this.seek(start);
  }

  /** Attaches to an initialised ring; throws RingError ERR_RING_NOT_FOUND if it is not there yet. */
  static open(name: string, options: RingReaderOptions = {}): RingReader {
    const reader = RingReader.tryOpen(name, options);
    if (reader === null) {
      throw new RingError(
        'ERR_RING_NOT_FOUND',
        `Ring "${name}" does not exist (no writer has created it yet)`,
        {
          ring: name,
        },
      );
    }
    return reader;
  }

  /** Like open(), but null while the ring is absent or its creator has not finished the header. */
  static tryOpen(name: string, options: RingReaderOptions = {}): RingReader | null {
    if (!shmExists(name)) return null;
    let mapping: Mapping;
    try {
      mapping = openShm(name);
    } catch (error) {
      // Unlinked between the check and the open, or created but not yet sized.
      if (!shmExists(name) || isEmptyObjectError(error)) return null;
      throw error;
    }
    try {
      if (mapping.size < HEADER_LENGTH || new RingHeader(mapping.buffer).magicAcquire() === 0) {
        mapping.close();
        return null;
      }
      return new RingReader(name, mapping, options);
    } catch (error) {
      mapping.close();
      throw error;
    }
  }

  /** Polls until the ring exists and is initialised, then opens it; null after timeoutMs. */
  static async openWhenReady(
    name: string,
    options: RingReaderOptions & { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<RingReader | null> {
    const deadline = performance.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    for (;;) {
      const reader = RingReader.tryOpen(name, options);
      if (reader !== null || performance.now() >= deadline) return reader;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1));
    }
  }

  /** Sequence of the next record this reader returns. */
  get position(): number {
    return this.cursor;
  }

  get stats(): RingReaderStats {
    return { lostRecords: this.lost, overruns: this.overruns };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Records the writer has published since the ring began (acquire). */
  published(): number {
    this.ensureOpen();
    return this.header.publishedSeqAcquire();
  }

  /** Sequence of the oldest record that is still valid (not being overwritten). */
  oldest(): number {
    this.ensureOpen();
    return Math.max(this.firstSequence, this.header.claimedSeqAcquire() - this.capacity);
  }

  /** Published records not yet read (may exceed capacity when lapped). */
  available(): number {
    return Math.max(0, this.published() - this.cursor);
  }

  /** pid of the last writer that attached (it may have exited). */
  get writerPid(): number {
    this.ensureOpen();
    return this.header.writerPid;
  }

  /** Moves the cursor to `sequence` (clamped to firstSequence). A sequence already overwritten is
   * detected by the next read and counted as lost. */
  seek(sequence: number): void {
    this.ensureOpen();
    if (!Number.isSafeInteger(sequence) || sequence < 0) {
      throw new DeepwaterRangeError(
        `Ring "${this.name}": seek needs a non-negative safe integer, got ${sequence}`,
      );
    }
    this.setCursor(Math.max(sequence, this.firstSequence));
  }

  seekOldest(): void {
    this.setCursor(this.oldest());
  }

  /** Live head: the next record read is the next one published. */
  seekLatest(): void {
    this.setCursor(this.published());
  }

  /**
   * Decodes up to maxRecords available records straight from their slots, appending
   * decode(view, byteOffset) to `out`. Each record is kept only if its slot's stamp named it
   * both before and after decoding (a per-slot seqlock); one the writer overwrote meanwhile is
   * dropped and counted lost. Returns how many were appended (0 = nothing new). If decode throws
   * on a record that was intact, the records before it stay appended and consumed, the cursor
   * stays on it, and the error propagates.
   */
  readEach<T>(
    decode: (view: DataView, byteOffset: number) => T,
    out: T[],
    maxRecords = Number.MAX_SAFE_INTEGER,
  ): number {
    this.ensureOpen();
    const words = this.words;
    const view = this.view;
    let appended = 0;
    while (appended < maxRecords) {
      const word = this.stampWord;
      const lo = this.expectedLo;
      const hi = this.expectedHi;
      if (loadStamp(words, word) !== lo || loadStamp(words, word + 1) !== hi) {
        const target = this.overtakenTarget();
        if (target < 0) break; // not written yet
        // 'throw' reports the gap only after the intact records before it were returned.
        if (appended > 0 && this.onOverrun === 'throw') break;
        this.skipTo(target, this.cursor);
        continue;
      }
      let record: T;
      try {
        record = decode(view, word * 4 + SLOT_HEADER_LENGTH);
      } catch (error) {
        if (loadStamp(words, word) === lo && loadStamp(words, word + 1) === hi) throw error;
        record = undefined as T; // the bytes changed under decode: handled as overwritten below
      }
      // Re-check after decoding: the writer marks a slot busy before it changes a byte of it.
      if (loadStamp(words, word) !== lo || loadStamp(words, word + 1) !== hi) {
        if (appended > 0 && this.onOverrun === 'throw') break;
        this.skipTo(Math.max(this.cursor + 1, this.header.claimedSeqAcquire() - this.capacity), this.cursor);
        continue;
      }
      out.push(record);
      appended++;
      this.advance();
    }
    return appended;
  }

  /**
   * The next record, decoded and validated as in readEach, or `none` when no record is complete
   * at the cursor yet. One record without an output array: the cheapest call for a reader waiting
   * at the live head.
   */
  readOne<T, N>(decode: (view: DataView, byteOffset: number) => T, none: N): T | N {
    // The common case (the record is there, whole, and stays so while it is decoded) in as few
    // bytecodes as possible: V8 inlines it, with `decode` and the decoder it calls, into the
    // caller's poll loop only within a cumulative budget (920 bytecodes). The whole loop here was
    // 328, and a stream's nextSync then called the codec's decoder, two stamp loads and
    // ensureOpen() per record. Everything else goes to readOneChecked(), which starts over.
    if (this.closed) this.ensureOpen();
    const words = this.words;
    const word = this.stampWord;
    const lo = this.expectedLo;
    const hi = this.expectedHi;
    const stamp = words[word];
    if (ORDERED && stamp === lo && words[word + 1] === hi) {
      let record: T;
      try {
        record = decode(this.view, word * 4 + SLOT_HEADER_BYTES);
      } catch (error) {
        if (words[word] === lo && words[word + 1] === hi) throw error;
        this.overwrittenUnderDecode(); // the bytes changed under decode
        return this.readOneChecked(decode, none);
      }
      if (words[word] === lo && words[word + 1] === hi) {
        this.advance();
        return record;
      }
      this.overwrittenUnderDecode();
    } else if (ORDERED && stamp === this.staleLo && words[word + 1] === this.staleHi) {
      // A reader at the live head: the slot still holds what the last poll found there. Answered
      // here, a poll costs a few loads instead of two calls (a spinning reader sees a record up
      // to a poll later than it lands).
      return none;
    }
    return this.readOneChecked(decode, none);
  }

  /** readOne() of everything but the common case: waiting, lapped, overwritten, unordered stores. */
  private readOneChecked<T, N>(decode: (view: DataView, byteOffset: number) => T, none: N): T | N {
    const words = this.words;
    for (;;) {
      const word = this.stampWord;
      const lo = this.expectedLo;
      const hi = this.expectedHi;
      if (loadStamp(words, word) !== lo || loadStamp(words, word + 1) !== hi) {
        const target = this.overtakenTarget();
        if (target < 0) return none;
        this.skipTo(target, this.cursor);
        continue;
      }
      let record: T;
      try {
        record = decode(this.view, word * 4 + SLOT_HEADER_LENGTH);
      } catch (error) {
        if (loadStamp(words, word) === lo && loadStamp(words, word + 1) === hi) throw error;
        record = undefined as T; // the bytes changed under decode: handled as overwritten below
      }
      if (loadStamp(words, word) !== lo || loadStamp(words, word + 1) !== hi) {
        this.overwrittenUnderDecode();
        continue;
      }
      this.advance();
      return record;
    }
  }

  /** The cursor's record changed while it was decoded: the writer lapped the reader there. */
  private overwrittenUnderDecode(): void {
    this.skipTo(Math.max(this.cursor + 1, this.header.claimedSeqAcquire() - this.capacity), this.cursor);
  }

  /**
   * The cursor's slot does not hold record `cursor` complete. Returns -1 if that record is still
   * to come (slot empty, holding an older record, or being written with it), else the oldest
   * sequence that is still valid (the record was overwritten: the reader was lapped).
   */
  private overtakenTarget(): number {
    const word = this.stampWord;
    const cursor = this.cursor;
    const lo = loadStamp(this.words, word);
    if (lo === STAMP_EMPTY) return this.stale(lo, loadStamp(this.words, word + 1));
    if (lo === STAMP_BUSY) {
      // Almost always the writer filling record `cursor` right now: loading CLAIM would pull the
      // writer's header line across mid-write. Only a slot that stays busy (a lapping writer, or
      // one that died mid-write) is worth the look.
      if (++this.busyPolls < BUSY_POLLS_BEFORE_CLAIM_CHECK) return -1;
      this.busyPolls = 0;
    } else {
      const hi = loadStamp(this.words, word + 1);
      // Older lap, or this record just completed (then the next poll reads it): look again.
      if (stampedSequence(lo, hi) <= cursor) return this.stale(lo, hi);
    }
    // Busy or newer: the claim word (stored before any stamp) says which records are being replaced.
    const oldestValid = this.header.claimedSeqAcquire() - this.capacity;
    return cursor < oldestValid ? oldestValid : -1;
  }

  /** Remembers the stamp (lo, hi) of a record the cursor's slot holds that is not to be read yet; -1. */
  private stale(lo: number, hi: number): number {
    this.staleLo = lo;
    this.staleHi = hi;
    return -1;
  }

  /** Whether the cursor's record is complete, or the reader was lapped (cheap: one stamp load). */
  private recordReady(): boolean {
    const lo = loadStamp(this.words, this.stampWord);
    if (lo === this.expectedLo) return true;
    return lo !== STAMP_EMPTY && lo !== STAMP_BUSY && this.overtakenTarget() >= 0;
  }

  private advance(): void {
    this.cursor++;
    // The common step in few bytecodes (it is inlined with readOne into a stream's poll loop, see
    // readOne); the wraps, once per lap and once per 2^31 records, in advanceWrap().
    const lo = this.expectedLo + 2;
    const slot = this.slot + 1;
    if (lo > 0xffffffff || slot === this.capacity) {
      this.advanceWrap(lo, slot);
      return;
    }
    this.expectedLo = lo;
    this.slot = slot;
    this.stampWord += this.slotWords;
  }

  private advanceWrap(lo: number, slot: number): void {
    if (lo > 0xffffffff) {
      this.expectedLo = 1; // STAMP_LO wraps to sequence 0 mod 2^31 and STAMP_HI moves on
      this.expectedHi++;
    } else {
      this.expectedLo = lo;
    }
    if (slot === this.capacity) {
      this.slot = 0;
      this.stampWord = DATA_OFFSET / 4;
    } else {
      this.slot = slot;
      this.stampWord += this.slotWords;
    }
  }

  /**
   * Copies up to maxRecords published records (bounded by target's size) into target from byte
   * 0, back to back, then re-checks the writer's claim word and keeps only records it cannot
   * have overwritten during the copy. Returns the number of records copied.
   */
  readInto(target: Uint8Array, maxRecords = Number.MAX_SAFE_INTEGER): number {
    this.ensureOpen();
    const capacity = this.capacity;
    const size = this.recordSize;
    const limit = Math.min(maxRecords, Math.floor(target.byteLength / size));
    for (;;) {
      const cursor = this.cursor;
      const published = this.header.publishedSeqAcquire();
      if (published <= cursor || limit < 1) return 0;
      if (published - cursor > capacity) {
        this.skipTo(this.oldest(), cursor);
        continue;
      }
      const count = Math.min(published - cursor, limit);
      const untilEnd = Math.min(count, capacity - this.slot);
      const stride = this.slotLength;
      copyRecords(this.bytes, this.recordOffset(this.slot), stride, target, 0, size, size, untilEnd);
      // The run crosses the physical end: the rest continues at slot 0, in logical order.
      const rest = count - untilEnd;
      copyRecords(this.bytes, this.recordOffset(0), stride, target, untilEnd * size, size, size, rest);
      // Every record below PUBLISH was complete; any below CLAIM - capacity may have been
      // overwritten while it was copied.
      const firstSafe = this.header.claimedSeqAcquire() - capacity;
      const torn = Math.min(Math.max(0, firstSafe - cursor), count);
      if (torn > 0) {
        if (this.onOverrun === 'throw' || torn === count) {
          this.skipTo(firstSafe, cursor);
          continue;
        }
        target.copyWithin(0, torn * size, count * size);
        this.lost += torn;
        this.overruns++;
      }
      this.setCursor(cursor + count);
      return count - torn;
    }
  }

  /** Convenience: a fresh Uint8Array holding up to maxRecords validated records. */
  readBytes(maxRecords = this.capacity): Uint8Array {
    const wanted = Math.max(0, Math.min(maxRecords, this.available(), this.capacity));
    const target = new Uint8Array(wanted * this.recordSize);
    const count = this.readInto(target, wanted);
    return count === wanted ? target : target.subarray(0, count * this.recordSize);
  }

  /**
   * Sequence of the first record with timestamp >= ts among those the ring still holds (published()
   * if none). Needs a ring created with a timestampOffset. Exact for any 64-bit ts: a bigint beyond
   * 2^53 is searched by its rounding (rounding is monotone), and the records whose rounded timestamp
   * ties with it are then compared exactly.
   */
  lowerBound(ts: number | bigint): number {
    this.ensureOpen();
    const tsOffset = this.requireTimestamp();
    const approx = Number(ts);
    const exact = typeof ts === 'bigint' && !Number.isSafeInteger(approx) ? ts : undefined;
    for (;;) {
      const published = this.header.publishedSeqAcquire();
      const from = this.oldest();
      let lo = from;
      let hi = published;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        const at = this.recordOffset(mid % this.capacity) + tsOffset;
        if (readTimestamp(this.view, at, this.timestampSigned) < approx) lo = mid + 1;
        else hi = mid;
      }
      if (exact !== undefined) lo = this.exactLowerBound(exact, approx, lo, published);
      // Every probe was at or above `from`; if that is still valid, so was everything we read.
      if (this.header.claimedSeqAcquire() - this.capacity <= from) return lo;
    }
  }

  /** Settles the records from `lo` whose rounded timestamp ties with `approx` by exact reads. */
  private exactLowerBound(exact: bigint, approx: number, lo: number, hi: number): number {
    const tsOffset = this.timestampOffset as number;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const at = this.recordOffset(mid % this.capacity) + tsOffset;
      const rounded = readTimestamp(this.view, at, this.timestampSigned);
      const below =
        rounded !== approx
          ? rounded < approx
          : readTimestampExact(this.view, at, this.timestampSigned) < exact;
      if (below) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Timestamp of record `sequence` if the ring still holds it, else null: a number (rounded beyond
   * 2^53), or with `exact` a bigint.
   */
  timestampAt(sequence: number): number | null;
  timestampAt(sequence: number, exact: true): bigint | null;
  timestampAt(sequence: number, exact = false): number | bigint | null {
    this.ensureOpen();
    const tsOffset = this.requireTimestamp();
    if (sequence < this.oldest() || sequence >= this.header.publishedSeqAcquire()) return null;
    const at = this.recordOffset(sequence % this.capacity) + tsOffset;
    const ts = exact
      ? readTimestampExact(this.view, at, this.timestampSigned)
      : readTimestamp(this.view, at, this.timestampSigned);
    return this.header.claimedSeqAcquire() - this.capacity <= sequence ? ts : null;
  }

  /** Blocks this thread until a record is available past the cursor; false on timeout. */
  waitForRecords(options: WaitOptions = {}): boolean {
    this.ensureOpen();
    const strategy = checkWaitStrategy(options.strategy ?? 'spin');
    if (this.recordReady()) return true;
    const timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    if (strategy === 'spin') return this.spinUntilReady(timeoutMs);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // readEach may have taken records a batch stamped complete before PUBLISH moved past them,
      // so the cursor can be ahead of PUBLISH: a change of PUBLISH alone is no answer.
      const published = this.header.publishedSeqAcquire();
      if (published > this.cursor) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      waitForPublication(this.header, published >>> 0, strategy, left);
      if (this.recordReady()) return true;
    }
  }

  /** Spins on the cursor slot's stamp, the line the writer fills next, not on a header word. */
  private spinUntilReady(timeoutMs: number): boolean {
    const deadline = performance.now() + timeoutMs;
    for (let i = 1; ; i++) {
      if (this.recordReady()) return true;
      if ((i & 1023) === 0) {
        // Also covers a cursor the stamps cannot speak for (e.g. seeked past a dead writer's gap).
        if (this.header.publishedSeqAcquire() > this.cursor) return true;
        if (performance.now() >= deadline) return false;
      }
    }
  }

  /** Waits without blocking the event loop; resolves false on timeout or when the reader closes. */
  async waitForRecordsAsync(options: WaitOptions = {}): Promise<boolean> {
    this.ensureOpen();
    const strategy = checkWaitStrategy(options.strategy ?? 'block');
    if (this.recordReady()) return true;
    const deadline = performance.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    this.pendingWaits++;
    try {
      for (;;) {
        // As in waitForRecords, the cursor may be ahead of PUBLISH: wait until it passes the cursor.
        const published = this.header.publishedSeqAcquire();
        if (published > this.cursor) return true;
        const left = deadline - performance.now();
        if (left <= 0) return false;
        const changed = await waitForPublicationAsync(
          this.name,
          this.header,
          published >>> 0,
          strategy,
          left,
          () => this.closed,
        );
        if (this.closed) return false;
        if (!changed) return this.recordReady();
        if (this.recordReady()) return true;
      }
    } finally {
      this.pendingWaits--;
      // close() during a wait deferred the unmap: the native wait may still reference the word.
      if (this.closed && this.pendingWaits === 0) this.mapping.close();
    }
  }

  /** Unmaps (deferred until pending async waits return). Idempotent; never unlinks the ring. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pendingWaits === 0) {
      this.mapping.close();
      return;
    }
    // Wake our own futex waits now instead of letting them time out (spurious wakes are harmless).
    futexWake(this.mapping.buffer, PUBLISH_LO_OFFSET);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private setCursor(sequence: number): void {
    this.staleLo = -1; // a slot's stale record may be a lapped one for a cursor moved back
    this.staleHi = -1;
    this.cursor = sequence;
    this.slot = sequence % this.capacity;
    this.stampWord = (DATA_OFFSET + this.slot * this.slotLength) / 4;
    this.expectedLo = stampLoOf(sequence);
    this.expectedHi = stampHiOf(sequence);
  }

  private recordOffset(slot: number): number {
    return DATA_OFFSET + slot * this.slotLength + SLOT_HEADER_LENGTH;
  }

  private skipTo(target: number, from: number): void {
    const skipped = Math.max(0, target - from);
    this.setCursor(Math.max(target, from));
    if (skipped === 0) return;
    this.lost += skipped;
    this.overruns++;
    if (this.onOverrun === 'throw') throw new RingOverrunError(this.name, skipped, this.lost);
  }

  private requireTimestamp(): number {
    if (this.timestampOffset === null) {
      throw new RingError('ERR_NO_TIMESTAMP', `Ring "${this.name}" was created without a timestampOffset`, {
        ring: this.name,
      });
    }
    return this.timestampOffset;
  }

  private ensureOpen(): void {
    if (this.closed) throw new RingClosedError(this.name, 'reader');
  }
}

function isEmptyObjectError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EINVAL' || code === 'ERR_EMPTY_OBJECT';
}

/** A stamp word, loaded in program order with the record loads around it (see STORES_STAY_ORDERED). */
function loadStamp(words: Uint32Array, index: number): number {
  return STORES_STAY_ORDERED ? words[index] : Atomics.load(words, index);
}
