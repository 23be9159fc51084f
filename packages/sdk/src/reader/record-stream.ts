import type { AbortSignalLike } from './abort-signal.js';
/** Returned by StreamSource.tryNext() when no record is published yet. */
export const NO_RECORD: unique symbol = Symbol('deepwater.noRecord');

/**
 * What a storage-specific reader provides to a RecordStream: a non-blocking poll and a way to sleep
 * until data may have arrived. Disk and ring readers both implement it.
 */
export interface StreamSource<T> {
  /** The next record, or NO_RECORD when none is published yet. Never blocks. */
  tryNext(): T | typeof NO_RECORD;
  /** Resolves when new data may be available, or after at most timeoutMs. Must not block the thread. */
  waitAsync(timeoutMs: number): Promise<void>;
  /** Releases mappings and shared-state slots; idempotent. */
  close(): void;
  /** Seq of the record tryNext() returned last; -1 before the first. */
  lastSeq?(): number;
}

/** How long async iteration spins on the event loop before parking on the writer's wake-up (µs). */
const ASYNC_SPIN_MICROS = 20;
/** Parked async waits re-check at least this often, so close() and lost wake-ups cost at most this. */
const ASYNC_PARK_TIMEOUT_MS = 50;

/**
 * RecordStream — one cursor over a feed, both sync- and async-iterable.
 * Sync iteration spins (lowest latency, holds the thread); async iteration spins briefly, then
 * parks until the writer signals, so an idle stream burns no core.
 */
export class RecordStream<T> implements Iterable<T>, AsyncIterable<T>, Disposable, AsyncDisposable {
  #source: StreamSource<T>;
  #closed = false;
  #onClose: (() => void) | undefined;
  #signal: AbortSignalLike | undefined;
  /** Resolves when the stream closes: a parked next() races it, so close/abort ends a wait at once. */
  #closing: Promise<void> | undefined;
  #resolveClosing: (() => void) | undefined;
  readonly #abort = (): void => this.close();

  /** `signal`: aborting it closes the stream (a parked async wait ends at once, a sync one at its next poll). */
  constructor(source: StreamSource<T>, onClose?: () => void, signal?: AbortSignalLike) {
    this.#source = source;
    this.#onClose = onClose;
    if (signal === undefined) return;
    if (signal.aborted) {
      // Closed before the reader tracks it: only the source needs releasing.
      this.#closed = true;
      source.close();
      return;
    }
    this.#signal = signal;
    signal.addEventListener('abort', this.#abort, { once: true });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Seq of the record this stream yielded most recently (-1 before the first): checkpoint it and
   * resume exactly with `stream({ fromSeq: lastSeq + 1 })`.
   */
  get lastSeq(): number {
    return this.#source.lastSeq?.() ?? -1;
  }

  /** The next record if one is published, else undefined; never blocks. */
  tryNext(): T | undefined {
    if (this.#closed) return undefined;
    const record = this.#source.tryNext();
    return record === NO_RECORD ? undefined : record;
  }

  /** Blocks this thread (spinning) until the next record arrives; undefined once closed. */
  nextSync(): T | undefined {
    const source = this.#source;
    for (;;) {
      if (this.#closed) return undefined;
      const record = source.tryNext();
      if (record !== NO_RECORD) return record;
    }
  }

  /** Resolves with the next record, parking while the feed is idle; undefined once closed. */
  async next(): Promise<T | undefined> {
    const source = this.#source;
    for (;;) {
      if (this.#closed) return undefined;
      let record = source.tryNext();
      if (record !== NO_RECORD) return record;
      const spinUntil = performance.now() + ASYNC_SPIN_MICROS / 1000;
      do {
        record = source.tryNext();
        if (record !== NO_RECORD) return record;
      } while (performance.now() < spinUntil);
      this.#closing ??= new Promise<void>((resolve) => {
        this.#resolveClosing = resolve;
      });
      await Promise.race([source.waitAsync(ASYNC_PARK_TIMEOUT_MS), this.#closing]);
    }
  }

  [Symbol.iterator](): Iterator<T> {
    return {
      next: (): IteratorResult<T> => {
        const value = this.nextSync();
        return value === undefined && this.#closed
          ? { done: true, value: undefined }
          : { done: false, value: value as T };
      },
      return: (): IteratorResult<T> => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const source = this.#source;
    return {
      // A record already published is handed over in an already settled promise, without an async
      // function and its await (which cost more per record than reading it): `for await` keeps up
      // with a fast feed. Only a stream with nothing new takes the parking path.
      next: (): Promise<IteratorResult<T>> => {
        if (!this.#closed) {
          let record: T | typeof NO_RECORD;
          try {
            record = source.tryNext();
          } catch (error) {
            return Promise.reject(error); // as the async path would: a rejection, never a throw
          }
          if (record !== NO_RECORD) return Promise.resolve({ done: false, value: record });
        }
        return this.#nextResult();
      },
      return: async (): Promise<IteratorResult<T>> => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }

  async #nextResult(): Promise<IteratorResult<T>> {
    const value = await this.next();
    return value === undefined && this.#closed
      ? { done: true, value: undefined }
      : { done: false, value: value as T };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener('abort', this.#abort);
    this.#signal = undefined;
    this.#resolveClosing?.();
    this.#source.close();
    this.#onClose?.();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
