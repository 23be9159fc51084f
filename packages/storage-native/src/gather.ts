import { DeepwaterError, DeepwaterRangeError } from '@deepwater/errors';
import { binding } from './binding.js';
import { type ParallelOptions, threadsOption } from './options.js';

/**
 * How one field reaches its column: `copy1|2|4|8` copies the field's bytes as they are (records
 * and host are little-endian), `uint64ToFloat64` / `int64ToFloat64` convert a 64-bit integer to a
 * double only if it is a safe integer (|v| <= 2^53 - 1), never rounding one.
 */
export type GatherKind = 'copy1' | 'copy2' | 'copy4' | 'copy8' | 'uint64ToFloat64' | 'int64ToFloat64';

export interface GatherField {
  /** Byte offset of the field inside a record. */
  offset: number;
  kind: GatherKind;
  /** The column: element `targetIndex + i` receives record i's value. */
  target: ArrayBufferView;
}

const KIND_CODES: Readonly<Record<GatherKind, number>> = {
  copy1: 1,
  copy2: 2,
  copy4: 4,
  copy8: 8,
  uint64ToFloat64: 9,
  int64ToFloat64: 10,
};

/** Whether gatherFields() is available: it is on little-endian hosts (x64, arm64). */
export const gatherAvailable: boolean = typeof binding.gatherFields === 'function';

/**
 * Copies fields of `count` fixed-width records — record i at `sourceOffset + i * stride` of
 * `source` — into per-field columns, in one native pass over the records (a row-major to
 * column-major transpose at memory speed: a 10 M-record columnar range() went from ~50-60 to
 * ~80-90 M rec/s here when the sdk moved from its JS fill to this).
 * Everything is bounds-checked before a byte moves: the last record must lie inside `source`,
 * every column must hold `targetIndex + count` elements.
 *
 * With `threads` > 1, runs of 512 K records and more are split over up to that many threads
 * (256 K records or more each), each writing its own rows of every column.
 *
 * Returns -1 when every record was gathered, or the index of the first record whose 64-bit
 * integer (a `*ToFloat64` field) is not a safe integer: the records before it are gathered, and
 * the caller decides how to report the value.
 */
export function gatherFields(
  source: ArrayBuffer | ArrayBufferView,
  sourceOffset: number,
  stride: number,
  count: number,
  fields: readonly GatherField[],
  targetIndex = 0,
  options: ParallelOptions = {},
): number {
  const gather = binding.gatherFields;
  if (gather === undefined) {
    throw new DeepwaterError(
      'ERR_NOT_IMPLEMENTED',
      'gatherFields: not available on a big-endian host (check gatherAvailable)',
    );
  }
  const native = fields.map((field, i) => {
    const kind = KIND_CODES[field.kind];
    if (kind === undefined) {
      throw new DeepwaterRangeError(
        `gatherFields: fields[${i}].kind must be one of ${Object.keys(KIND_CODES).join(', ')}, got ${String(field.kind)}`,
      );
    }
    return { offset: field.offset, kind, target: field.target };
  });
  return gather(
    source,
    sourceOffset,
    stride,
    count,
    native,
    targetIndex,
    threadsOption('gatherFields', options),
  );
}

/**
 * How one column reaches its field in scatterFields: `copy1|2|4|8` copies the bytes as they are,
 * `float64ToUint64` / `float64ToInt64` converts a double (a Float64Array column) to a 64-bit
 * integer only if it is a safe integer (>= 0 for unsigned), never rounding one.
 */
export type ScatterKind = 'copy1' | 'copy2' | 'copy4' | 'copy8' | 'float64ToUint64' | 'float64ToInt64';

export interface ScatterField {
  /** Byte offset of the field inside a record. */
  offset: number;
  kind: ScatterKind;
  /** The column: element `sourceIndex + i` goes to record i. */
  source: ArrayBufferView;
}

const SCATTER_KIND_CODES: Readonly<Record<ScatterKind, number>> = {
  copy1: 1,
  copy2: 2,
  copy4: 4,
  copy8: 8,
  float64ToUint64: 11,
  float64ToInt64: 12,
};

/** Whether scatterFields() is available: it is on little-endian hosts (x64, arm64). */
export const scatterAvailable: boolean = typeof binding.scatterFields === 'function';

/**
 * The inverse of gatherFields: per-field columns into `count` fixed-width records (record i at
 * `targetOffset + i * stride` of `target`, e.g. a mapped chunk or a ring's slots), block by block
 * and column by column in native code. Bytes of a record that no field covers are left as they
 * are. Every bound is checked before a byte moves: the last record must lie inside `target`, every
 * column must hold `sourceIndex + count` elements, every field must fit the stride.
 *
 * Returns -1 when every record was written, or the index of the first record whose double (a
 * `float64To*` field) is not a safe integer of its field: the records before it are written, in
 * every column, and the caller decides how to report the value.
 */
export function scatterFields(
  target: ArrayBuffer | ArrayBufferView,
  targetOffset: number,
  stride: number,
  count: number,
  fields: readonly ScatterField[],
  sourceIndex = 0,
): number {
  const scatter = binding.scatterFields;
  if (scatter === undefined) {
    throw new DeepwaterError(
      'ERR_NOT_IMPLEMENTED',
      'scatterFields: not available on a big-endian host (check scatterAvailable)',
    );
  }
  const native = fields.map((field, i) => {
    const kind = SCATTER_KIND_CODES[field.kind];
    if (kind === undefined) {
      throw new DeepwaterRangeError(
        `scatterFields: fields[${i}].kind must be one of ${Object.keys(SCATTER_KIND_CODES).join(', ')}, got ${String(field.kind)}`,
      );
    }
    return { offset: field.offset, kind, source: field.source };
  });
  return scatter(target, targetOffset, stride, count, native, sourceIndex);
}

/** Whether copyRecordsOrdered() is available: it is on little-endian hosts (x64, arm64). */
export const copyOrderedAvailable: boolean = typeof binding.copyRecordsOrdered === 'function';

/**
 * Copies `count` records of `recordSize` bytes from `source` at `sourceOffset` to `target` at
 * `targetOffset` (back to back in both), checking in the same pass that each record's 64-bit
 * little-endian timestamp at `tsOffset` (int64 when `signed`, else uint64) is not below the one
 * before it. The caller's bytes are read once: a separate order check before a copy reads them
 * twice, and the second pass cost a bulk write as much as the copy itself.
 * Every bound is checked before a byte moves (both ranges inside their buffers, the timestamp
 * inside a record, no overlap).
 *
 * Returns -1 when every record was copied in order, or the index (>= 1) of the first record whose
 * timestamp is below its predecessor's: the records before it are copied, it and the ones after
 * are not, and the caller decides what to do with the copied part.
 */
export function copyRecordsOrdered(
  target: ArrayBuffer | ArrayBufferView,
  targetOffset: number,
  source: ArrayBuffer | ArrayBufferView,
  sourceOffset: number,
  count: number,
  recordSize: number,
  tsOffset: number,
  signed: boolean,
): number {
  const copy = binding.copyRecordsOrdered;
  if (copy === undefined) {
    throw new DeepwaterError(
      'ERR_NOT_IMPLEMENTED',
      'copyRecordsOrdered: not available on a big-endian host (check copyOrderedAvailable)',
    );
  }
  return copy(target, targetOffset, source, sourceOffset, count, recordSize, tsOffset, signed === true);
}

/** Whether copyStrided() is available (an addon built before it lacks it). */
export const copyStridedAvailable: boolean = typeof binding.copyStrided === 'function';

/**
 * Copies `count` records of `recordSize` bytes from `source` (one every `sourceStride` bytes from
 * `sourceOffset`) to `target` (one every `targetStride` bytes from `targetOffset`): e.g. a ring's
 * slots, each a stamp then a record, to records back to back — one call instead of a JS word loop
 * (measured ~25 ns per 24-byte record there, the ring reader's whole cost). Both spans are checked
 * before a byte moves; strides below the record size and overlapping ranges are refused.
 */
export function copyStrided(
  target: ArrayBuffer | ArrayBufferView,
  targetOffset: number,
  targetStride: number,
  source: ArrayBuffer | ArrayBufferView,
  sourceOffset: number,
  sourceStride: number,
  recordSize: number,
  count: number,
): void {
  const copy = binding.copyStrided;
  if (copy === undefined) {
    throw new DeepwaterError(
      'ERR_NOT_IMPLEMENTED',
      'copyStrided: this build of the native addon predates it (check copyStridedAvailable)',
    );
  }
  copy(target, targetOffset, targetStride, source, sourceOffset, sourceStride, recordSize, count);
}

/**
 * Copies `byteLength` bytes from `source` at `sourceOffset` to `target` at `targetOffset` (a
 * memmove), bounds-checked first. With `threads` > 1, copies of 32 MiB and more between ranges
 * that do not overlap are split over up to that many threads (16 MiB or more each): a 240 MB copy
 * here takes ~23 ms on one thread and ~14 ms on two.
 */
export function copyBytes(
  target: ArrayBuffer | ArrayBufferView,
  targetOffset: number,
  source: ArrayBuffer | ArrayBufferView,
  sourceOffset: number,
  byteLength: number,
  options: ParallelOptions = {},
): void {
  binding.copyBytes(
    target,
    targetOffset,
    source,
    sourceOffset,
    byteLength,
    threadsOption('copyBytes', options),
  );
}
