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
