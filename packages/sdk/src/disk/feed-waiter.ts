import type { FeedRegistry } from './feed-registry.js';

/**
 * One futex wait in flight per feed per process: it occupies a libuv threadpool thread, so every
 * parked stream of the feed in this process shares it instead of taking a thread each.
 */
const inflight = new Map<string, Promise<unknown>>();

/**
 * Polls of the cursor before a stream parks, as the ring's 'block' wait does (2048 header polls,
 * a few µs): parking costs the reader a threadpool futex round trip (~0.1-1 ms to be woken here),
 * and while it is parked the writer makes a wake syscall per record. A feed writing every few µs
 * is caught by the spin instead; a quiet feed costs this once per wait.
 */
const POLLS_BEFORE_PARK = 2048;

/**
 * Parks until the writer signals or timeoutMs passes. Protocol (no lost wake-up): read the signal
 * word, announce in `waiters`, re-check for data, then wait on the signal word. A writer that
 * publishes after the re-check sees waiters > 0 and bumps the signal (so the wait returns
 * 'not-equal' or is woken).
 */
export async function waitForSignal(
  registry: FeedRegistry,
  hasData: () => boolean,
  timeoutMs: number,
  parking: Parking,
): Promise<void> {
  for (let i = 0; i < POLLS_BEFORE_PARK; i++) if (hasData()) return;
  const seen = registry.signalSeen();
  parking.park();
  try {
    if (hasData()) return;
    let pending = inflight.get(registry.path);
    if (pending === undefined) {
      pending = registry.waitSignalAsync(seen, timeoutMs).finally(() => {
        inflight.delete(registry.path);
      });
      inflight.set(registry.path, pending);
    }
    await pending;
  } finally {
    parking.unpark();
  }
}

/**
 * Who is waiting: announces itself in the feed's `waiters` word (and its readers-table slot, so a
 * killed reader's share can be reclaimed). unpark() after the cursor was closed is a no-op.
 */
export interface Parking {
  park(): void;
  unpark(): void;
}
