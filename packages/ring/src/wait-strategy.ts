import { DeepwaterTypeError } from '@deepwater/errors';
import { futexWait, futexWaitAsync } from '@deepwater/storage-native';
import type { RingHeader } from './header.js';
import { PUBLISH_LO_OFFSET } from './layout.js';

/**
 * How a reader waits for the writer's next publication (Disruptor's WaitStrategy):
 * - 'spin': poll the publication word; lowest latency, burns a core (async: spins for a short
 *   budget, then yields the event loop with setImmediate and spins again).
 * - 'yield': poll, sleeping with a growing back-off (1 µs → 1 ms) between polls.
 * - 'block': spin briefly, then announce a waiter in the header and sleep in a futex wait on the
 *   publication word; the writer issues FUTEX_WAKE only while a waiter is announced. Async
 *   'yield' and 'block' poll for ASYNC_POLL_BEFORE_PARK_MS before they sleep (see there).
 */
export type WaitStrategy = 'spin' | 'yield' | 'block';

export const WAIT_STRATEGIES: readonly WaitStrategy[] = ['spin', 'yield', 'block'];

/** Spins before sleeping: a publication within a few µs is caught without a syscall. */
const SPINS_BEFORE_SLEEP = 2048;
/**
 * An async wait polls this long (not a count: a poll's cost varies ~10x with load) before it
 * sleeps. Sleeping costs a threadpool futex round trip: ~30-40 µs from the writer's publish to
 * the reader's resolved wait on this VM, plus a wake syscall per publish for the writer while the
 * reader is parked. 2048 polls (~40 µs here) parked a 10 K rec/s reader before nearly every
 * record (for-await p50 ~33 µs), while the disk stream's 2048 cursor polls (~100 µs) caught them.
 * A quiet feed pays this once per park (the stream re-parks every 50 ms: 0.2% of a core).
 */
const ASYNC_POLL_BEFORE_PARK_MS = 0.1;
/** Async 'spin' gives the event loop a turn this often so timers and I/O still run. */
const ASYNC_SPIN_BUDGET_MS = 0.5;
/** Upper bound of one futex sleep, so that closing the reader and deadlines are noticed. */
const MAX_FUTEX_SLEEP_MS = 200;
const MAX_BACKOFF_MS = 1;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export function checkWaitStrategy(strategy: unknown): WaitStrategy {
  if (strategy === 'spin' || strategy === 'yield' || strategy === 'block') return strategy;
  throw new DeepwaterTypeError(
    `wait strategy must be one of 'spin', 'yield', 'block'; got ${String(strategy)}`,
  );
}

/**
 * Blocks this thread until PUBLISH_LO differs from `seenLo` or `timeoutMs` elapses
 * (Infinity = no limit). Returns whether it changed.
 */
export function waitForPublication(
  header: RingHeader,
  seenLo: number,
  strategy: WaitStrategy,
  timeoutMs: number,
): boolean {
  if (header.publishedLoAcquire() !== seenLo) return true;
  const deadline = performance.now() + timeoutMs;
  if (strategy === 'spin') {
    for (let i = 1; ; i++) {
      if (header.publishedLoAcquire() !== seenLo) return true;
      if ((i & 1023) === 0 && performance.now() >= deadline) return false;
    }
  }
  if (spin(header, seenLo, SPINS_BEFORE_SLEEP)) return true;
  if (strategy === 'yield') {
    for (let backoff = 0.001; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      const left = deadline - performance.now();
      if (left <= 0) return header.publishedLoAcquire() !== seenLo;
      Atomics.wait(sleepCell, 0, 0, Math.min(backoff, left));
      if (header.publishedLoAcquire() !== seenLo) return true;
    }
  }
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return header.publishedLoAcquire() !== seenLo;
    header.addWaiter();
    try {
      // Announce first, then re-check: the writer publishes then reads WAITERS, so either it
      // sees us or we see its publication (both are sequentially consistent atomics).
      if (header.publishedLoAcquire() !== seenLo) return true;
      futexWait(header.buffer, PUBLISH_LO_OFFSET, seenLo | 0, Math.min(left, MAX_FUTEX_SLEEP_MS));
    } finally {
      header.removeWaiter();
    }
    if (header.publishedLoAcquire() !== seenLo) return true;
  }
}

/**
 * One futex wait in flight per ring per process: each occupies a libuv threadpool thread (4 by
 * default, shared with fs and dns), so parked readers of the same ring share it.
 */
const inflight = new Map<string, Promise<unknown>>();

/**
 * Like waitForPublication without blocking the event loop; `stopped()` ends the wait early.
 * `ring` keys the shared in-flight futex wait.
 */
export async function waitForPublicationAsync(
  ring: string,
  header: RingHeader,
  seenLo: number,
  strategy: WaitStrategy,
  timeoutMs: number,
  stopped: () => boolean,
): Promise<boolean> {
  if (header.publishedLoAcquire() !== seenLo) return true;
  const deadline = performance.now() + timeoutMs;
  if (strategy === 'spin') {
    for (;;) {
      const sliceEnd = Math.min(deadline, performance.now() + ASYNC_SPIN_BUDGET_MS);
      for (let i = 1; ; i++) {
        if (header.publishedLoAcquire() !== seenLo) return true;
        if ((i & 255) === 0 && performance.now() >= sliceEnd) break;
      }
      if (performance.now() >= deadline) return false;
      await yieldToEventLoop();
      if (stopped()) return false;
    }
  }
  if (pollFor(header, seenLo, ASYNC_POLL_BEFORE_PARK_MS)) return true;
  if (strategy === 'yield') {
    for (let polls = 0; ; polls++) {
      if (performance.now() >= deadline) return header.publishedLoAcquire() !== seenLo;
      // setImmediate first (sub-ms), then 1 ms timers once the feed has gone quiet.
      await (polls < 64 ? yieldToEventLoop() : sleepMs(MAX_BACKOFF_MS));
      if (stopped()) return false;
      if (header.publishedLoAcquire() !== seenLo) return true;
    }
  }
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return header.publishedLoAcquire() !== seenLo;
    header.addWaiter();
    try {
      if (header.publishedLoAcquire() !== seenLo) return true;
      let pending = inflight.get(ring);
      if (pending === undefined) {
        pending = futexWaitAsync(header.buffer, PUBLISH_LO_OFFSET, seenLo | 0, MAX_FUTEX_SLEEP_MS).finally(
          () => inflight.delete(ring),
        );
        inflight.set(ring, pending);
      }
      // A shared wait may outlast this caller's deadline; never sleep past it.
      await (left < MAX_FUTEX_SLEEP_MS ? Promise.race([pending, sleepMs(left)]) : pending);
    } finally {
      header.removeWaiter();
    }
    if (stopped()) return false;
    if (header.publishedLoAcquire() !== seenLo) return true;
  }
}

function spin(header: RingHeader, seenLo: number, iterations: number): boolean {
  for (let i = 0; i < iterations; i++) if (header.publishedLoAcquire() !== seenLo) return true;
  return false;
}

/** Polls for `ms`, reading the clock every 64 polls. */
function pollFor(header: RingHeader, seenLo: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (let i = 1; ; i++) {
    if (header.publishedLoAcquire() !== seenLo) return true;
    if ((i & 63) === 0 && performance.now() >= until) return false;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
