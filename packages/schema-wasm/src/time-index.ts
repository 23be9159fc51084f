import { DeepwaterError, DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import { schemaWasm } from './wasm.js';

// Status codes from assembly/time-index.ts.
const INDEX_OK = 0;
const ERR_INDEX_DECREASING = 1;
const ERR_INDEX_TOO_SHORT = 2;
const ERR_INDEX_MAGIC = 3;
const ERR_INDEX_VERSION = 4;
const ERR_INDEX_ENTRY_LENGTH = 5;
const ERR_INDEX_LENGTH = 6;
const ERR_INDEX_CHECKSUM = 7;
const ERR_INDEX_UNSAFE_VALUE = 8;

/** Serialized header (see ARCHITECTURE.md "Time index"). */
export const TIME_INDEX_MAGIC = 0x49545744; // "DWTI"
export const TIME_INDEX_VERSION = 1;
export const TIME_INDEX_HEADER_LENGTH = 16;
export const TIME_INDEX_ENTRY_LENGTH = 16;

/** A serialized index that cannot be read back; `reason` says which check failed. */
export class TimeIndexFormatError extends DeepwaterError {
  declare readonly code: 'ERR_INDEX_FORMAT';
  constructor(
    message: string,
    readonly reason: 'length' | 'magic' | 'version' | 'entry-length' | 'checksum' | 'order' | 'range',
  ) {
    super('ERR_INDEX_FORMAT', message);
    this.name = 'TimeIndexFormatError';
  }
}

// Frees indexes that were dropped without dispose(): their arrays live in WASM memory,
// which the JS garbage collector cannot see.
const leaked = new FinalizationRegistry<number>((handle) => schemaWasm().indexFree(handle));

// Set only while deserialize() constructs an index around a handle WASM already built.
let adoptedHandle = 0;

export interface TimeIndexOptions {
  /** Entries to reserve up front (the index grows by doubling either way). */
  initialCapacity?: number;
}

function checkSafeInteger(what: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    const bound = min === 0 ? 'a non-negative safe integer' : 'a safe integer';
    throw new DeepwaterRangeError(`TimeIndex: ${what} must be ${bound}, got ${String(value)}`);
  }
}

function describeHeader(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A sparse index from timestamp to record position, held in WASM linear memory. Keys are
 * non-decreasing (duplicates allowed); keys and positions are safe integers. Not shared
 * between threads; any number of instances coexist. Call dispose() (or `using`) to free it.
 */
export class TimeIndex implements Disposable {
  #handle: number;

  constructor(options: TimeIndexOptions = {}) {
    if (adoptedHandle !== 0) {
      this.#handle = adoptedHandle;
      adoptedHandle = 0;
      leaked.register(this, this.#handle, this);
      return;
    }
    const capacity = options.initialCapacity ?? 0;
    if (!Number.isSafeInteger(capacity) || capacity < 0 || capacity > 0x0fffffff) {
      throw new DeepwaterRangeError(
        `TimeIndex: initialCapacity must be an integer in [0, 268435455], got ${capacity}`,
      );
    }
    this.#handle = schemaWasm().indexCreate(capacity);
    leaked.register(this, this.#handle, this);
  }

  #live(): number {
    if (this.#handle === 0) throw new DeepwaterError('ERR_CLOSED', 'TimeIndex: used after dispose()');
    return this.#handle;
  }

  get length(): number {
    return schemaWasm().indexLength(this.#live());
  }

  get disposed(): boolean {
    return this.#handle === 0;
  }

  /** Appends (key, position); a key below the last key throws and appends nothing. */
  append(key: number, position: number): void {
    const handle = this.#live();
    checkSafeInteger('key', key, Number.MIN_SAFE_INTEGER);
    checkSafeInteger('position', position, 0);
    const wasm = schemaWasm();
    if (wasm.indexAppend(handle, key, position) === ERR_INDEX_DECREASING) {
      const last = wasm.indexKeyAt(handle, wasm.indexLength(handle) - 1);
      throw new DeepwaterRangeError(`TimeIndex: keys must be non-decreasing: ${key} follows ${last}`);
    }
  }

  /** The first entry whose key is >= ts, or length when there is none. */
  lowerBound(ts: number): number {
    if (Number.isNaN(ts)) throw new DeepwaterRangeError('TimeIndex: lowerBound(NaN)');
    return schemaWasm().indexLowerBound(this.#live(), ts);
  }

  /** The first entry whose key is > ts, or length when there is none. */
  upperBound(ts: number): number {
    if (Number.isNaN(ts)) throw new DeepwaterRangeError('TimeIndex: upperBound(NaN)');
    return schemaWasm().indexUpperBound(this.#live(), ts);
  }

  keyAt(i: number): number {
    return schemaWasm().indexKeyAt(this.#live(), this.#checkIndex(i));
  }

  positionAt(i: number): number {
    return schemaWasm().indexPositionAt(this.#live(), this.#checkIndex(i));
  }

  #checkIndex(i: number): number {
    const length = this.length;
    if (!Number.isInteger(i) || i < 0 || i >= length) {
      throw new DeepwaterRangeError(`TimeIndex: entry ${i} is out of range [0, ${length})`);
    }
    return i;
  }

  clear(): void {
    schemaWasm().indexClear(this.#live());
  }

  /** The versioned, checksummed byte form (ARCHITECTURE.md "Time index"). */
  serialize(): Uint8Array {
    const handle = this.#live();
    const wasm = schemaWasm();
    const length = wasm.indexSerializedLength(handle);
    const out = wasm.alloc(length);
    try {
      wasm.indexSerialize(handle, out);
      return new Uint8Array(wasm.memory.buffer, out, length).slice();
    } finally {
      wasm.free(out);
    }
  }

  /** Reads serialize() output back; throws TimeIndexFormatError naming what is wrong. */
  static deserialize(bytes: Uint8Array): TimeIndex {
    if (!(bytes instanceof Uint8Array))
      throw new DeepwaterTypeError('TimeIndex.deserialize expects a Uint8Array');
    const wasm = schemaWasm();
    const ptr = wasm.alloc(Math.max(bytes.length, 1));
    let status: number;
    try {
      new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
      status = wasm.indexDeserialize(ptr, bytes.length);
    } finally {
      wasm.free(ptr);
    }
    if (status !== INDEX_OK) throw formatError(status, bytes, wasm.indexLastDetail());
    adoptedHandle = wasm.indexLastHandle();
    return new TimeIndex();
  }

  /** Frees the WASM memory; idempotent. */
  dispose(): void {
    if (this.#handle === 0) return;
    schemaWasm().indexFree(this.#handle);
    leaked.unregister(this);
    this.#handle = 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

function formatError(status: number, bytes: Uint8Array, detail: number): TimeIndexFormatError {
  const header = describeHeader(bytes);
  const prefix = 'TimeIndex.deserialize: ';
  switch (status) {
    case ERR_INDEX_TOO_SHORT:
      return new TimeIndexFormatError(
        `${prefix}${bytes.length} bytes is shorter than the ${TIME_INDEX_HEADER_LENGTH}-byte header`,
        'length',
      );
    case ERR_INDEX_MAGIC:
      return new TimeIndexFormatError(
        `${prefix}bad magic 0x${header.getUint32(0, true).toString(16).padStart(8, '0')} ` +
          `(expected 0x${TIME_INDEX_MAGIC.toString(16)}, "DWTI"): not a Deepwater time index`,
        'magic',
      );
    case ERR_INDEX_VERSION:
      return new TimeIndexFormatError(
        `${prefix}format version ${header.getUint16(4, true)} is not supported (this build reads version ` +
          `${TIME_INDEX_VERSION}); rebuild the index from the records`,
        'version',
      );
    case ERR_INDEX_ENTRY_LENGTH:
      return new TimeIndexFormatError(
        `${prefix}entry length ${header.getUint16(6, true)} is not ${TIME_INDEX_ENTRY_LENGTH}`,
        'entry-length',
      );
    case ERR_INDEX_LENGTH: {
      const count = header.getUint32(8, true);
      return new TimeIndexFormatError(
        `${prefix}header says ${count} entries (${TIME_INDEX_HEADER_LENGTH + count * TIME_INDEX_ENTRY_LENGTH} ` +
          `bytes) but ${bytes.length} bytes were given`,
        'length',
      );
    }
    case ERR_INDEX_CHECKSUM:
      return new TimeIndexFormatError(`${prefix}checksum mismatch: the entries are corrupt`, 'checksum');
    case ERR_INDEX_DECREASING:
      return new TimeIndexFormatError(
        `${prefix}key of entry ${detail} is lower than the key before it`,
        'order',
      );
    case ERR_INDEX_UNSAFE_VALUE:
      return new TimeIndexFormatError(
        `${prefix}entry ${detail} holds a key or position outside the safe-integer range`,
        'range',
      );
    default:
      return new TimeIndexFormatError(`${prefix}unknown status ${status}`, 'length');
  }
}

/** Plain-JS lower bound over sorted keys, kept to measure the WASM index against. */
export function lowerBoundJs(keys: Float64Array, ts: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
