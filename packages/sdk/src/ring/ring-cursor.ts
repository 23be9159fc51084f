import { type OverrunPolicy, RingReader } from '@deepwater/ring';

/** Attach attempts while the ring does not exist yet are spaced this far apart (a syscall each). */
const ATTACH_RETRY_MS = 1;

/**
 * Where a cursor starts: 'live' = the next record published after the cursor was made; a number
 * = the first record the ring holds with ts >= it; 'none' = no position (random-access probes).
 */
export type RingStart = 'live' | 'none' | { fromTs: number };

/**
 * One cursor over a feed's ring that may exist before the ring does. If the ring is absent at
 * creation, every record the ring ever holds was written after the cursor began, so it attaches
 * at the ring's first sequence when the ring appears (for every kind of start).
 */
export class RingCursor {
  readonly #shmName: string;
  readonly #onOverrun: OverrunPolicy;
  #reader: RingReader | null = null;
  #nextAttempt = 0;
  #lostBefore = 0;
  #closed = false;

  constructor(shmName: string, onOverrun: OverrunPolicy, start: RingStart) {
    this.#shmName = shmName;
    this.#onOverrun = onOverrun;
    const reader = RingReader.tryOpen(shmName, { onOverrun });
    if (reader === null) return;
    if (typeof start === 'object') reader.seek(reader.lowerBound(start.fromTs));
    this.#reader = reader;
  }

  /** The attached ring reader, attaching now if the ring has appeared; null while it is absent. */
  reader(): RingReader | null {
    if (this.#reader !== null || this.#closed) return this.#reader;
    const now = performance.now();
    if (now < this.#nextAttempt) return null;
    this.#nextAttempt = now + ATTACH_RETRY_MS;
    const reader = RingReader.tryOpen(this.#shmName, { onOverrun: this.#onOverrun, start: 'oldest' });
    if (reader === null) return null;
    reader.seek(reader.firstSequence);
    this.#reader = reader;
    return reader;
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
    if (reader === null) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, ATTACH_RETRY_MS)));
      return;
    }
    await reader.waitForRecordsAsync({ strategy: 'block', timeoutMs });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#reader !== null) {
      this.#lostBefore += this.#reader.stats.lostRecords;
      this.#reader.close();
      this.#reader = null;
    }
  }
}
