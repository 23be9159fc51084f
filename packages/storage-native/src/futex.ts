// futex(2) on an aligned int32 of an ArrayBuffer. Shared futexes (not FUTEX_PRIVATE), so a
// waiter in one process is woken from another through a MAP_SHARED file or shm mapping.
// Validation (ArrayBuffer, 4-byte alignment, bounds, 32-bit expected) happens in the addon,
// before any memory is touched; these are the native functions themselves, with no wrapper
// on the hot path.
import { binding, type FutexWaitResult } from './binding.js';

export type { FutexWaitResult } from './binding.js';

/**
 * FUTEX_WAIT on the int32 at buffer[byteOffset]: 'not-equal' at once if it is not `expected`
 * (int32 or uint32 spelling), 'ok' when woken (or spuriously), 'timed-out' after timeoutMs.
 * timeoutMs < 0 waits forever, blocking this thread: avoid it. EINTR is retried with the time left.
 */
export const futexWait: (
  buffer: ArrayBuffer,
  byteOffset: number,
  expected: number,
  timeoutMs: number,
) => FutexWaitResult = binding.futexWait;

/**
 * futexWait on a libuv threadpool thread; the event loop keeps running. The buffer (and, for a
 * Mapping's buffer, the mapped memory even across close()) is kept alive until it returns.
 * Each pending wait occupies one of the threadpool's threads (UV_THREADPOOL_SIZE, default 4).
 */
export const futexWaitAsync: (
  buffer: ArrayBuffer,
  byteOffset: number,
  expected: number,
  timeoutMs: number,
) => Promise<FutexWaitResult> = binding.futexWaitAsync;

/** FUTEX_WAKE: wakes up to `count` waiters (default: all); returns how many were woken. */
export const futexWake: (buffer: ArrayBuffer, byteOffset: number, count?: number) => number =
  binding.futexWake;
