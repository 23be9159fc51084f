import { DeepwaterRangeError } from '@deepwater/errors';
import type { RingGeometry } from './header.js';
import { HEADER_LENGTH, MAX_CAPACITY, SEQ_HI_MULTIPLIER, SLOT_HEADER_LENGTH } from './layout.js';

/**
 * Records that fit in `areaBytes` (e.g. a feed's chunkSizeMb × 2^20): the area is rounded down to
 * whole records, never up, and never to a power of two (slot indexes are tracked incrementally,
 * so no masking is needed). At least one record.
 */
export function capacityFor(recordSize: number, areaBytes: number): number {
  checkPositiveInteger('recordSize', recordSize);
  if (!Number.isFinite(areaBytes) || areaBytes <= 0) {
    throw new DeepwaterRangeError(`ring area must be a positive number of bytes, got ${areaBytes}`);
  }
  const capacity = Math.max(1, Math.floor(areaBytes / recordSize));
  if (capacity > MAX_CAPACITY) {
    throw new DeepwaterRangeError(
      `ring of ${capacity} records exceeds the maximum of ${MAX_CAPACITY} records`,
    );
  }
  return capacity;
}

/** Bytes per slot: the 8-byte stamp, then the record padded to a multiple of 8 bytes. */
export function slotLengthFor(recordSize: number): number {
  return SLOT_HEADER_LENGTH + Math.ceil(recordSize / 8) * 8;
}

/** Size of the shared-memory object: the control header, then `capacity` stamped slots. */
export function ringByteLength(geometry: Pick<RingGeometry, 'recordSize' | 'capacity'>): number {
  return HEADER_LENGTH + slotLengthFor(geometry.recordSize) * geometry.capacity;
}

/** Validates user-supplied geometry with errors naming the option and the value. */
export function checkGeometry(ring: string, geometry: RingGeometry): void {
  checkPositiveInteger('recordSize', geometry.recordSize, ring);
  checkPositiveInteger('capacity', geometry.capacity, ring);
  if (geometry.capacity > MAX_CAPACITY) {
    throw new DeepwaterRangeError(
      `Ring "${ring}": capacity ${geometry.capacity} exceeds the maximum of ${MAX_CAPACITY}`,
    );
  }
  const ts = geometry.timestampOffset;
  if (ts !== null && (!Number.isInteger(ts) || ts < 0 || ts + 8 > geometry.recordSize)) {
    throw new DeepwaterRangeError(
      `Ring "${ring}": timestampOffset ${ts} does not leave room for an 8-byte timestamp ` +
        `in a ${geometry.recordSize}-byte record`,
    );
  }
}

/** The record's 64-bit little-endian timestamp as a number (exact below 2^53). */
export function readTimestamp(view: DataView, byteOffset: number, signed: boolean): number {
  const lo = view.getUint32(byteOffset, true);
  const hi = signed ? view.getInt32(byteOffset + 4, true) : view.getUint32(byteOffset + 4, true);
  return hi * SEQ_HI_MULTIPLIER + lo;
}

/** The record's 64-bit timestamp exactly (for values beyond 2^53, where readTimestamp rounds). */
export function readTimestampExact(view: DataView, byteOffset: number, signed: boolean): bigint {
  return signed ? view.getBigInt64(byteOffset, true) : view.getBigUint64(byteOffset, true);
}

export function sameGeometry(a: RingGeometry, b: RingGeometry): boolean {
  return (
    a.recordSize === b.recordSize &&
    a.capacity === b.capacity &&
    a.timestampOffset === b.timestampOffset &&
    (a.timestampOffset === null || a.timestampSigned === b.timestampSigned)
  );
}

export function describeGeometry(g: RingGeometry): string {
  const ts = g.timestampOffset === null ? 'no timestamp' : `timestamp at byte ${g.timestampOffset}`;
  return `${g.capacity} records of ${g.recordSize} bytes, ${ts}`;
}

function checkPositiveInteger(name: string, value: number, ring?: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 0x7fffffff) {
    const prefix = ring === undefined ? '' : `Ring "${ring}": `;
    throw new DeepwaterRangeError(`${prefix}${name} must be a positive integer, got ${String(value)}`);
  }
}
