import { copyStrided, copyStridedAvailable } from '@deepwater/storage-native';
import { STAMP_LO_PERIOD } from './layout.js';

/** STAMP_LO of slot holding the complete record `seq`: odd, so never EMPTY (0) or BUSY (even). */
export function stampLoOf(seq: number): number {
  return ((seq >>> 0) & 0x7fffffff) * 2 + 1;
}

/** STAMP_HI of record `seq` (seq < 2^53, so at most 2^22). */
export function stampHiOf(seq: number): number {
  return Math.floor(seq / STAMP_LO_PERIOD);
}

/** The sequence a committed stamp names (STAMP_LO odd). */
export function stampedSequence(lo: number, hi: number): number {
  return hi * STAMP_LO_PERIOD + (lo >>> 1);
}

/** Records up to this size whose offsets are 4-byte aligned are copied word by word: a
 * typed-array set() per record costs a subarray allocation (~30 ns), a 24-byte word loop ~3 ns. */
export const WORD_COPY_MAX_BYTES = 128;

/**
 * From this many records a run is copied by one native call (copyStrided: a memcpy per record):
 * the JS word loop measured ~25 ns per 24-byte record, so a ring reader draining raw ran slower
 * than its writer filled the ring. Below it the loop wins over a call's fixed cost.
 */
const NATIVE_COPY_MIN_RECORDS = 16;

/**
 * Copies `count` records of `recordSize` bytes from `source` (record i at sourceStart + i ×
 * sourceStride) to `target` (record i at targetStart + i × targetStride). Neither run wraps.
 */
export function copyRecords(
  source: Uint8Array,
  sourceStart: number,
  sourceStride: number,
  target: Uint8Array,
  targetStart: number,
  targetStride: number,
  recordSize: number,
  count: number,
): void {
  if (count <= 0) return;
  if (count >= NATIVE_COPY_MIN_RECORDS && copyStridedAvailable) {
    copyStrided(target, targetStart, targetStride, source, sourceStart, sourceStride, recordSize, count);
    return;
  }
  const aligned =
    recordSize <= WORD_COPY_MAX_BYTES &&
    ((source.byteOffset + sourceStart) & 3) === 0 &&
    ((target.byteOffset + targetStart) & 3) === 0 &&
    ((sourceStride | targetStride | recordSize) & 3) === 0;
  if (!aligned) {
    for (let i = 0; i < count; i++) {
      const from = sourceStart + i * sourceStride;
      target.set(source.subarray(from, from + recordSize), targetStart + i * targetStride);
    }
    return;
  }
  const words = recordSize >>> 2;
  const sourceSpan = (count - 1) * sourceStride + recordSize;
  const targetSpan = (count - 1) * targetStride + recordSize;
  const from = new Uint32Array(source.buffer, source.byteOffset + sourceStart, sourceSpan / 4);
  const to = new Uint32Array(target.buffer, target.byteOffset + targetStart, targetSpan / 4);
  const fromStride = sourceStride >>> 2;
  const toStride = targetStride >>> 2;
  for (let i = 0, f = 0, t = 0; i < count; i++, f += fromStride, t += toStride) {
    for (let w = 0; w < words; w++) to[t + w] = from[f + w];
  }
}
