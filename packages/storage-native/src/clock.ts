import { binding } from './binding.js';

/** clock_gettime(CLOCK_REALTIME) in integer microseconds since the epoch (exact as a number). */
export const nowMicros: () => number = binding.nowMicros;

/** clock_gettime(CLOCK_REALTIME) in nanoseconds since the epoch. */
export const nowNanos: () => bigint = binding.nowNanos;
