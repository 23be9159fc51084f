// A sparse time index in linear memory: entries (key, position), keys non-decreasing.
// Keys and positions are integers below 2^53, held as f64 so JS passes them without BigInt.
// Each index is a 16-byte header block; several coexist, each with its own arrays.
//
// Header block (handle points at it):
//   0 keysPtr (u32)   4 positionsPtr (u32)   8 length (u32)   12 capacity (u32)
//
// Serialized form (see ARCHITECTURE.md "Time index"):
//   0 u32 magic "DWTI"   4 u16 version   6 u16 entry length (16)   8 u32 count
//   12 u32 CRC-32 of the entry bytes   16.. count x { i64 key, i64 position }

const KEYS_OFFSET: usize = 0;
const POSITIONS_OFFSET: usize = 4;
const LENGTH_OFFSET: usize = 8;
const CAPACITY_OFFSET: usize = 12;
const BLOCK_LENGTH: usize = 16;

export const INDEX_MAGIC: u32 = 0x49545744; // "DWTI" as little-endian bytes
export const INDEX_VERSION: u32 = 1;
export const INDEX_HEADER_LENGTH: u32 = 16;
export const INDEX_ENTRY_LENGTH: u32 = 16;

export const INDEX_OK: i32 = 0;
export const ERR_INDEX_DECREASING: i32 = 1;
export const ERR_INDEX_TOO_SHORT: i32 = 2;
export const ERR_INDEX_MAGIC: i32 = 3;
export const ERR_INDEX_VERSION: i32 = 4;
export const ERR_INDEX_ENTRY_LENGTH: i32 = 5;
export const ERR_INDEX_LENGTH: i32 = 6;
export const ERR_INDEX_CHECKSUM: i32 = 7;
export const ERR_INDEX_UNSAFE_VALUE: i32 = 8;

let lastHandle: usize = 0;
let lastDetail: u32 = 0;

function keys(h: usize): usize {
  return <usize>load<u32>(h + KEYS_OFFSET);
}

function positions(h: usize): usize {
  return <usize>load<u32>(h + POSITIONS_OFFSET);
}

export function indexLength(h: usize): u32 {
  return load<u32>(h + LENGTH_OFFSET);
}

export function indexCreate(capacity: u32): usize {
  if (capacity < 16) capacity = 16;
  const h = heap.alloc(BLOCK_LENGTH);
  store<u32>(h + KEYS_OFFSET, <u32>heap.alloc(<usize>capacity * 8));
  store<u32>(h + POSITIONS_OFFSET, <u32>heap.alloc(<usize>capacity * 8));
  store<u32>(h + LENGTH_OFFSET, 0);
  store<u32>(h + CAPACITY_OFFSET, capacity);
  return h;
}

export function indexFree(h: usize): void {
  heap.free(keys(h));
  heap.free(positions(h));
  heap.free(h);
}

export function indexClear(h: usize): void {
  store<u32>(h + LENGTH_OFFSET, 0);
}

function reserve(h: usize, needed: u32): void {
  let capacity = load<u32>(h + CAPACITY_OFFSET);
  if (needed <= capacity) return;
  while (capacity < needed) capacity *= 2;
  store<u32>(h + KEYS_OFFSET, <u32>heap.realloc(keys(h), <usize>capacity * 8));
  store<u32>(h + POSITIONS_OFFSET, <u32>heap.realloc(positions(h), <usize>capacity * 8));
  store<u32>(h + CAPACITY_OFFSET, capacity);
}

/** Appends one entry; ERR_INDEX_DECREASING (nothing appended) when key < the last key. */
export function indexAppend(h: usize, key: f64, position: f64): i32 {
  const length = indexLength(h);
  if (length > 0 && key < load<f64>(keys(h) + <usize>(length - 1) * 8)) return ERR_INDEX_DECREASING;
  reserve(h, length + 1);
  store<f64>(keys(h) + <usize>length * 8, key);
  store<f64>(positions(h) + <usize>length * 8, position);
  store<u32>(h + LENGTH_OFFSET, length + 1);
  return INDEX_OK;
}

export function indexKeyAt(h: usize, i: u32): f64 {
  return load<f64>(keys(h) + <usize>i * 8);
}

export function indexPositionAt(h: usize, i: u32): f64 {
  return load<f64>(positions(h) + <usize>i * 8);
}

/** First entry whose key is >= ts, or length. */
export function indexLowerBound(h: usize, ts: f64): u32 {
  const base = keys(h);
  let lo: u32 = 0;
  let hi = indexLength(h);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(base + <usize>mid * 8) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First entry whose key is > ts, or length. */
export function indexUpperBound(h: usize, ts: f64): u32 {
  const base = keys(h);
  let lo: u32 = 0;
  let hi = indexLength(h);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(base + <usize>mid * 8) <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), table built on first use.
const CRC_TABLE = memory.data(256 * 4);
let crcReady = false;

function crc32(ptr: usize, length: usize): u32 {
  if (!crcReady) {
    for (let n: u32 = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      store<u32>(CRC_TABLE + <usize>n * 4, c);
    }
    crcReady = true;
  }
  let crc: u32 = 0xffffffff;
  for (let i: usize = 0; i < length; i++) {
    crc = load<u32>(CRC_TABLE + <usize>((crc ^ load<u8>(ptr + i)) & 0xff) * 4) ^ (crc >>> 8);
  }
  return crc ^ 0xffffffff;
}

export function indexSerializedLength(h: usize): u32 {
  return INDEX_HEADER_LENGTH + indexLength(h) * INDEX_ENTRY_LENGTH;
}

/** Writes the serialized form into out (indexSerializedLength(h) bytes). */
export function indexSerialize(h: usize, out: usize): void {
  const length = indexLength(h);
  const entries = out + <usize>INDEX_HEADER_LENGTH;
  for (let i: u32 = 0; i < length; i++) {
    const at = entries + <usize>i * <usize>INDEX_ENTRY_LENGTH;
    store<i64>(at, <i64>load<f64>(keys(h) + <usize>i * 8));
    store<i64>(at + 8, <i64>load<f64>(positions(h) + <usize>i * 8));
  }
  store<u32>(out, INDEX_MAGIC);
  store<u16>(out + 4, <u16>INDEX_VERSION);
  store<u16>(out + 6, <u16>INDEX_ENTRY_LENGTH);
  store<u32>(out + 8, length);
  store<u32>(out + 12, crc32(entries, <usize>length * <usize>INDEX_ENTRY_LENGTH));
}

function isSafe(v: i64): bool {
  return v >= -9007199254740991 && v <= 9007199254740991;
}

/**
 * Validates serialized bytes and builds a new index from them. Returns INDEX_OK (the handle
 * is then indexLastHandle()) or an error code, with indexLastDetail() holding the entry
 * index for ordering/range errors.
 */
export function indexDeserialize(bytes: usize, byteLength: u32): i32 {
  lastHandle = 0;
  lastDetail = 0;
  if (byteLength < INDEX_HEADER_LENGTH) return ERR_INDEX_TOO_SHORT;
  if (load<u32>(bytes) !== INDEX_MAGIC) return ERR_INDEX_MAGIC;
  if (<u32>load<u16>(bytes + 4) !== INDEX_VERSION) return ERR_INDEX_VERSION;
  if (<u32>load<u16>(bytes + 6) !== INDEX_ENTRY_LENGTH) return ERR_INDEX_ENTRY_LENGTH;
  const count = load<u32>(bytes + 8);
  if (<u64>byteLength !== <u64>INDEX_HEADER_LENGTH + <u64>count * <u64>INDEX_ENTRY_LENGTH)
    return ERR_INDEX_LENGTH;
  const entries = bytes + <usize>INDEX_HEADER_LENGTH;
  if (crc32(entries, <usize>count * <usize>INDEX_ENTRY_LENGTH) !== load<u32>(bytes + 12))
    return ERR_INDEX_CHECKSUM;
  let previous: i64 = i64.MIN_VALUE;
  for (let i: u32 = 0; i < count; i++) {
    const key = load<i64>(entries + <usize>i * 16);
    const position = load<i64>(entries + <usize>i * 16 + 8);
    lastDetail = i;
    if (!isSafe(key) || position < 0 || !isSafe(position)) return ERR_INDEX_UNSAFE_VALUE;
    if (key < previous) return ERR_INDEX_DECREASING;
    previous = key;
  }
  const h = indexCreate(count);
  for (let i: u32 = 0; i < count; i++) {
    store<f64>(keys(h) + <usize>i * 8, <f64>load<i64>(entries + <usize>i * 16));
    store<f64>(positions(h) + <usize>i * 8, <f64>load<i64>(entries + <usize>i * 16 + 8));
  }
  store<u32>(h + LENGTH_OFFSET, count);
  lastHandle = h;
  return INDEX_OK;
}

export function indexLastHandle(): usize {
  return lastHandle;
}

export function indexLastDetail(): u32 {
  return lastDetail;
}
