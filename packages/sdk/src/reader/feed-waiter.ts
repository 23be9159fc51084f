import { futexWaitAsync } from '@deepwater/storage-native';
import { type FeedRegistry, SIGNAL_INDEX, WAITERS_INDEX } from '../registry/feed-registry.js';
import { F_SIGNAL_OFFSET } from '../registry/layout.js';

/**
 * One futex wait in flight per feed per process: it occupies a libuv threadpool thread, so every
 * parked stream of the feed in this process shares it instead of taking a thread each.
 */
const inflight = new Map<string, Promise<unknown>>();

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
  parked: ParkedCounter,
): Promise<void> {
  const words = registry.words;
  const seen = Atomics.load(words, SIGNAL_INDEX);
  Atomics.add(words, WAITERS_INDEX, 1);
  parked.count++;
  try {
    if (hasData()) return;
    let pending = inflight.get(registry.path);
    if (pending === undefined) {
      pending = futexWaitAsync(registry.mapping.buffer, F_SIGNAL_OFFSET, seen, timeoutMs).finally(() => {
        inflight.delete(registry.path);
      });
      inflight.set(registry.path, pending);
    }
    await pending;
  } finally {
    // A reader closed mid-wait already withdrew its announcements (withdrawParked).
    if (!registry.mapping.closed) {
      Atomics.sub(words, WAITERS_INDEX, 1);
      parked.count--;
    }
  }
}

/** How many waits of one reader are announced in the feed's `waiters` word right now. */
export interface ParkedCounter {
  count: number;
}

/** Called by a reader's close() before unmapping: leaves `waiters` as if its waits had ended. */
export function withdrawParked(registry: FeedRegistry, parked: ParkedCounter): void {
  if (parked.count > 0 && !registry.mapping.closed) Atomics.sub(registry.words, WAITERS_INDEX, parked.count);
  parked.count = 0;
}
