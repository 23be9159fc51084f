import { binding, type MallocStats } from './binding.js';

export type { MallocStats } from './binding.js';

/**
 * The C heap's accounting for this process (glibc `mallinfo2`), or `undefined` where the C library
 * has none (musl, glibc < 2.33). RSS cannot tell a native leak from memory malloc freed and kept
 * (fragmentation, which Node 22+ shows plainly); `inUseBytes` can: it grows only with memory held.
 */
export function mallocStats(): MallocStats | undefined {
  return binding.mallocStats();
}
