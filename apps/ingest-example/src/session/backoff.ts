/**
 * Exponential reconnect back-off: initial, initial×factor, … capped at max, with ±jitter so that many
 * ingesters dropped together do not reconnect in lockstep. reset() is called once a connection has
 * proved healthy, so a flapping server is retried slowly and a one-off drop is retried at once.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
  /** Fraction of the delay added or removed at random (default 0.2). */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
      throw new RangeError(
        `back-off needs 0 < initialMs <= maxMs, got initialMs=${options.initialMs} maxMs=${options.maxMs}`,
      );
    }
    this.#initialMs = options.initialMs;
    this.#maxMs = options.maxMs;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 0.2;
    this.#random = options.random ?? Math.random;
  }

  /** Consecutive failed attempts since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; each call counts one more attempt. */
  nextDelayMs(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
    this.#attempt++;
    const spread = base * this.#jitter * (this.#random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(this.#maxMs, base + spread)));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
