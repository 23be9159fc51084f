/**
 * A receive clock in integer microseconds since the epoch that never goes backwards.
 *
 * Every feed's time column is the local receive time, and Deepwater requires it to be non-decreasing;
 * `performance.timeOrigin + performance.now()` follows the monotonic clock, so an NTP step of the wall
 * clock cannot make a later record older than an earlier one.
 */
export interface MicrosClock {
  nowUs(): number;
}

export class MonotonicMicrosClock implements MicrosClock {
  #last = 0;

  nowUs(): number {
    const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    if (now > this.#last) this.#last = now;
    return this.#last;
  }
}

/**
 * The receive clock of a replay that reproduces the recorded session: it reads the recorded `recv_us`
 * the replay server announces before each frame (see record/recv-stamp.ts), so two replays of one file
 * write identical records. Events with no frame of their own (a reconnect, a staleness drop) take the
 * latest recorded time. It never goes backwards, like the live clock.
 */
export class RecordedMicrosClock implements MicrosClock {
  #first: number | null = null;
  #last = 0;

  stamp(recvUs: number): void {
    this.#first ??= recvUs;
    if (recvUs > this.#last) this.#last = recvUs;
  }

  nowUs(): number {
    return this.#last;
  }

  /** The first recorded time seen (null before any), e.g. the start of a replayed run's window. */
  get firstUs(): number | null {
    return this.#first;
  }
}
