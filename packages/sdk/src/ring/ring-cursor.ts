import { type OverrunPolicy, RingOverrunError, RingReader } from '@deepwater/ring';
import type { RingReaderSlot, RingWatch } from './ring-readers-table.js';

/**
 * Without a ring watch (no readers table: feed directory unwritable, or full disk), attach
 * attempts while the ring does not exist yet are spaced this far apart (a syscall each).
 */
const ATTACH_RETRY_MS = 1;
/**
 * With a watch, a cursor attaches at the first poll after the writer announces its ring. It still
 * probes this rarely for a ring whose writer could not announce it (a writer that died between
 * creating the ring and announcing it, an sdk before ring-readers table version 2, a writer that
 * could not open the table).
 */
const UNANNOUNCED_RING_RETRY_MS = 100;
/**
 * The announced heartbeat is refreshed once this many polls + records have passed (and on every
 * park): a clock read costs ~115 ns here, so a spinning or busy cursor pays < 0.2 ns per poll.
 */
const HEARTBEAT_TICKS = 1024;

/**
 * Where a cursor starts: 'live' = the next record published after the cursor was made; a number
 * = the first record the ring holds with ts >= it; 'none' = no position (random-access probes).
 */
export type RingStart = 'live' | 'none' | { fromTs: number | bigint } | { fromSeq: number };

/**
 * One cursor over a feed's ring that may exist before the ring does. If the ring is absent at
 * creation, every record the ring ever holds was written after the cursor began, so it attaches
 * at the ring's first sequence when the ring appears (for every kind of start).
 */
export class RingCursor {
  readonly #shmName: string;
  readonly #onOverrun: OverrunPolicy;
  #reader: RingReader | null = null;
  readonly #watch: RingWatch | null;
  /** The watch's ring generation when this cursor last probed for the ring. */
  #seenGeneration = 0;
  #nextAttempt = 0;
  #lostBefore = 0;
  /** stream({ fromSeq }) before the ring existed: where to start once it appears. */
  #fromSeq: number | undefined;
  #closed = false;
  /** Where this cursor announces itself in the feed's ring readers table; null = unannounced. */
  #slot: RingReaderSlot | null = null;
  #announcedSequence = Number.NaN;
  #ticks = 0;

  /** `watch`: where the writer announces the ring (null: probe every ATTACH_RETRY_MS instead). */
  constructor(shmName: string, onOverrun: OverrunPolicy, start: RingStart, watch: RingWatch | null) {
    this.#shmName = shmName;
    this.#onOverrun = onOverrun;
    this.#watch = watch;
    if (typeof start === 'object' && 'fromSeq' in start) this.#fromSeq = start.fromSeq;
    // Before the probe: a ring created after it is announced after it, so the next poll sees it.
    if (watch !== null) this.#seenGeneration = watch.ringGeneration();
    const reader = RingReader.tryOpen(shmName, { onOverrun });
    if (reader === null) {
      this.#nextAttempt = performance.now() + (watch === null ? ATTACH_RETRY_MS : UNANNOUNCED_RING_RETRY_MS);
      return;
    }
    try {
      if (typeof start === 'object' && 'fromTs' in start) reader.seek(reader.lowerBound(start.fromTs));
      else if (this.#fromSeq !== undefined) this.#seekSeq(reader, this.#fromSeq);
    } catch (error) {
      reader.close();
      throw error;
    }
    this.#reader = reader;
  }

  /** From now on announce() publishes this cursor's position and losses in `slot`. */
  announceIn(slot: RingReaderSlot): void {
    this.#slot = slot;
    this.#announcedSequence = Number.NaN;
    this.announce();
  }

  /**
   * Publishes the cursor's position and losses if they changed: a compare when nothing moved, two
   * plain stores when something did, and a clock read every HEARTBEAT_TICKS polls + records.
   * Callers invoke it once per batch (or per few idle polls), never per record; `polls` is how many
   * polls this call stands for (the heartbeat's count).
   */
  announce(polls = 1): void {
    const slot = this.#slot;
    if (slot === null) return;
    const reader = this.#reader;
    if (reader !== null) {
      const sequence = reader.position;
      const moved = sequence - this.#announcedSequence;
      // NaN (first announcement) and any move, including a seek backwards, publish.
      if (moved !== 0) {
        this.#announcedSequence = sequence;
        slot.publish(sequence, this.lostRecords);
        if (moved > 0) this.#ticks += moved;
      }
    }
    this.#ticks += polls;
    if (this.#ticks >= HEARTBEAT_TICKS) {
      this.#ticks = 0;
      slot.beat();
    }
  }

  /**
   * The attached ring reader, attaching now if the ring has appeared; null while it is absent.
   * While absent a poll costs one load of the watch's generation (and a clock read for the rare
   * fallback probe); the shm syscalls run only when a writer has announced a ring.
   */
  reader(): RingReader | null {
    if (this.#reader !== null || this.#closed) return this.#reader;
    const watch = this.#watch;
    const now = performance.now();
    const generation = watch === null ? this.#seenGeneration : watch.ringGeneration();
    if (generation === this.#seenGeneration && now < this.#nextAttempt) return null;
    this.#seenGeneration = generation;
    this.#nextAttempt = now + (watch === null ? ATTACH_RETRY_MS : UNANNOUNCED_RING_RETRY_MS);
    const reader = RingReader.tryOpen(this.#shmName, { onOverrun: this.#onOverrun, start: 'oldest' });
    if (reader === null) return null;
    if (this.#fromSeq === undefined) reader.seek(reader.firstSequence);
    else this.#seekSeq(reader, this.#fromSeq);
    this.#reader = reader;
    this.announce();
    return reader;
  }

  /**
   * Positions at `seq`. Seqs below the ring's first sequence never existed in this ring (it was
   * recreated): they are counted lost here, or refused with onOverrun 'throw'. Seqs overwritten
   * since are counted by the ring reader itself when it reads (or throw the same way).
   */
  #seekSeq(reader: RingReader, seq: number): void {
    const missing = reader.firstSequence - seq;
    if (missing > 0) {
      if (this.#onOverrun === 'throw') {
        throw new RingOverrunError(this.#shmName, missing, missing);
      }
      this.#lostBefore += missing;
    }
    reader.seek(seq);
  }

  get attached(): boolean {
    return this.#reader !== null;
  }

  get lostRecords(): number {
    return this.#lostBefore + (this.#reader?.stats.lostRecords ?? 0);
  }

  /** Resolves when records may have arrived (or the ring appeared), or after timeoutMs. */
  async waitAsync(timeoutMs: number): Promise<void> {
    const reader = this.reader();
    // Parking costs a futex syscall or a timer anyway: a fresh heartbeat is free here.
    this.#slot?.beat();
    if (reader === null) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, ATTACH_RETRY_MS)));
      return;
    }
    await reader.waitForRecordsAsync({ strategy: 'block', timeoutMs });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#slot?.release();
    this.#slot = null;
    if (this.#reader !== null) {
      this.#lostBefore += this.#reader.stats.lostRecords;
      this.#reader.close();
      this.#reader = null;
    }
  }
}
