// The record-layout compiler: the single source of truth for how a schema becomes bytes.
//
// Input (written by src/layout-input.ts at inputPtr):
//   u32 fieldCount
//   fieldCount x { u16 nameLength, u16 typeLength, name bytes (UTF-8), type bytes (UTF-8) }
//   u16 tsColLength, tsCol bytes
// Output (read by src/compile-layout.ts at layoutOutputPtr(), u32 words unless noted):
//   0 status (LAYOUT_OK or an error code)   1 errorField (declaration index, or -1)
//   2 errorDetail (meaning per error code)   3 recordSize   4 fieldCount   5 valueFieldCount
//   6 tsField (declaration index)   7 tsValueIndex   8 fmtLength   9 reserved
//   10.. fieldCount x { kind, offset, size }, then fmtLength bytes of ASCII fmt

import { editDistance, NO_DISTANCE, suggestionThreshold } from './edit-distance';
import {
  bytesEqual,
  KIND_INT64,
  KIND_PAD,
  KIND_UINT64,
  kindFmtCode,
  kindFromName,
  kindSize,
  typeNameLength,
  typeNamePtr,
  VALUE_KIND_COUNT,
} from './kinds';

export const MAX_RECORD_SIZE: u32 = 65536;
export const MAX_PADDING: u32 = 4096;
export const MAX_NAME_LENGTH: u32 = 255;

export const LAYOUT_OK: u32 = 0;
export const ERR_INPUT: u32 = 1;
export const ERR_NO_VALUE_FIELDS: u32 = 2;
export const ERR_EMPTY_NAME: u32 = 3;
export const ERR_NAME_TOO_LONG: u32 = 4;
export const ERR_INVALID_NAME: u32 = 5; // detail: byte index of the first bad character
export const ERR_RESERVED_NAME: u32 = 6;
export const ERR_DUPLICATE_NAME: u32 = 7; // detail: declaration index of the first use
export const ERR_UNKNOWN_TYPE: u32 = 8; // detail: suggested kind, or 0
export const ERR_PADDING_SIZE: u32 = 9;
export const ERR_TS_MISSING: u32 = 10;
export const ERR_TS_NOT_FOUND: u32 = 11; // detail: declaration index of the nearest name, or -1
export const ERR_TS_WRONG_TYPE: u32 = 12;
export const ERR_RECORD_TOO_LARGE: u32 = 13; // detail: the record size the schema asks for

const HEADER_WORDS: u32 = 10;
const FIELD_WORDS: u32 = 3;

// Per-field scratch: namePtr, nameLength, typePtr, typeLength, kind, offset, size.
const WORK_WORDS: u32 = 7;

let inputPtr: usize = 0;
let inputCapacity: usize = 0;
let outputPtr: usize = 0;
let workPtr: usize = 0;
let hashPtr: usize = 0;
let tsNamePtr: usize = 0;
let tsNameLength: u32 = 0;

/** A buffer of at least `length` bytes for the next compileLayout input. */
export function layoutInputPtr(length: u32): usize {
  if (<usize>length > inputCapacity) {
    if (inputPtr !== 0) heap.free(inputPtr);
    inputPtr = heap.alloc(<usize>length);
    inputCapacity = length;
  }
  return inputPtr;
}

export function layoutOutputPtr(): usize {
  return outputPtr;
}

function work(field: u32, word: u32): usize {
  return workPtr + <usize>((field * WORK_WORDS + word) * 4);
}

function out(word: u32): usize {
  return outputPtr + <usize>(word * 4);
}

function fail(code: u32, field: i32, detail: i32): u32 {
  store<u32>(out(0), code);
  store<i32>(out(1), field);
  store<i32>(out(2), detail);
  return code;
}

function isNameStart(c: u8): bool {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: u8): bool {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** The padding byte count of a `_N` type, or 0 when N is not a whole number in range. */
function paddingSize(ptr: usize, len: u32): u32 {
  if (len < 2) return 0;
  let n: u32 = 0;
  for (let i: u32 = 1; i < len; i++) {
    const c = load<u8>(ptr + <usize>i);
    if (c < 48 || c > 57) return 0;
    n = n * 10 + (c - 48);
    if (n > MAX_PADDING) return 0;
  }
  return n;
}

function fnv1a(ptr: usize, len: u32): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < len; i++) {
    h ^= load<u8>(ptr + <usize>i);
    h *= 0x01000193;
  }
  return h;
}

// Open-addressing set of value-field names; slots hold declaration index + 1.
function hashCapacity(fieldCount: u32): u32 {
  let capacity: u32 = 16;
  while (capacity < fieldCount * 2) capacity <<= 1;
  return capacity;
}

/** Declaration index of an earlier field with the same name, or -1 after inserting this one. */
function findOrInsertName(field: u32, capacity: u32): i32 {
  const ptr = <usize>load<u32>(work(field, 0));
  const len = load<u32>(work(field, 1));
  let slot = fnv1a(ptr, len) & (capacity - 1);
  while (true) {
    const entry = hashPtr + <usize>(slot * 4);
    const occupant = load<u32>(entry);
    if (occupant === 0) {
      store<u32>(entry, field + 1);
      return -1;
    }
    const other = occupant - 1;
    if (bytesEqual(ptr, len, <usize>load<u32>(work(other, 0)), load<u32>(work(other, 1)))) return <i32>other;
    slot = (slot + 1) & (capacity - 1);
  }
}

function suggestKind(ptr: usize, len: u32): u32 {
  let best: u32 = 0;
  let bestDistance: u32 = NO_DISTANCE;
  for (let kind: u32 = 1; kind <= VALUE_KIND_COUNT; kind++) {
    const d = editDistance(ptr, len, typeNamePtr(kind), typeNameLength(kind));
    if (d < bestDistance) {
      bestDistance = d;
      best = kind;
    }
  }
  return bestDistance <= suggestionThreshold(len) ? best : 0;
}

function suggestField(ptr: usize, len: u32, fieldCount: u32): i32 {
  let best: i32 = -1;
  let bestDistance: u32 = NO_DISTANCE;
  for (let f: u32 = 0; f < fieldCount; f++) {
    if (load<u32>(work(f, 4)) === KIND_PAD) continue;
    const d = editDistance(ptr, len, <usize>load<u32>(work(f, 0)), load<u32>(work(f, 1)));
    if (d < bestDistance) {
      bestDistance = d;
      best = <i32>f;
    }
  }
  return bestDistance <= suggestionThreshold(len) ? best : -1;
}

// "__proto__" would become an object's prototype instead of a key in decoded records.
const RESERVED_PROTO = memory.data<u8>([95, 95, 112, 114, 111, 116, 111, 95, 95]);

function checkName(field: u32): u32 {
  const ptr = <usize>load<u32>(work(field, 0));
  const len = load<u32>(work(field, 1));
  if (len === 0) return fail(ERR_EMPTY_NAME, field, 0);
  if (len > MAX_NAME_LENGTH) return fail(ERR_NAME_TOO_LONG, field, len);
  if (!isNameStart(load<u8>(ptr))) return fail(ERR_INVALID_NAME, field, 0);
  for (let i: u32 = 1; i < len; i++) {
    if (!isNameChar(load<u8>(ptr + <usize>i))) return fail(ERR_INVALID_NAME, field, i);
  }
  if (bytesEqual(ptr, len, RESERVED_PROTO, 9)) return fail(ERR_RESERVED_NAME, field, 0);
  return LAYOUT_OK;
}

function releaseScratch(): void {
  if (workPtr !== 0) heap.free(workPtr);
  if (hashPtr !== 0) heap.free(hashPtr);
  workPtr = 0;
  hashPtr = 0;
}

/** Decodes the input into the work table; false when the encoding itself is malformed. */
function readInput(inputLength: u32, fieldCount: u32): bool {
  let p: usize = inputPtr + 4;
  const end: usize = inputPtr + <usize>inputLength;
  for (let f: u32 = 0; f < fieldCount; f++) {
    if (p + 4 > end) return false;
    const nameLength = <u32>load<u16>(p);
    const typeLength = <u32>load<u16>(p + 2);
    p += 4;
    if (p + <usize>(nameLength + typeLength) > end) return false;
    store<u32>(work(f, 0), <u32>p);
    store<u32>(work(f, 1), nameLength);
    store<u32>(work(f, 2), <u32>(p + <usize>nameLength));
    store<u32>(work(f, 3), typeLength);
    p += <usize>(nameLength + typeLength);
  }
  if (p + 2 > end) return false;
  tsNameLength = <u32>load<u16>(p);
  tsNamePtr = p + 2;
  return tsNamePtr + <usize>tsNameLength === end;
}

/** Compiles the schema at layoutInputPtr(); returns LAYOUT_OK or an error code (see top). */
export function compileLayout(inputLength: u32): u32 {
  if (outputPtr !== 0) heap.free(outputPtr);
  outputPtr = heap.alloc(<usize>(HEADER_WORDS * 4));
  if (inputLength < 6) return fail(ERR_INPUT, -1, 0);
  const fieldCount = load<u32>(inputPtr);
  // Each field takes at least 4 input bytes, so this also bounds the allocations below.
  if (<u64>fieldCount * 4 + 6 > <u64>inputLength) return fail(ERR_INPUT, -1, 0);
  workPtr = heap.alloc(<usize>(fieldCount * WORK_WORDS * 4 + 4));
  const status = compileFields(inputLength, fieldCount);
  releaseScratch();
  return status;
}

function compileFields(inputLength: u32, fieldCount: u32): u32 {
  if (!readInput(inputLength, fieldCount)) return fail(ERR_INPUT, -1, 0);
  const capacity = hashCapacity(fieldCount);
  hashPtr = heap.alloc(<usize>(capacity * 4));
  memory.fill(hashPtr, 0, <usize>(capacity * 4));

  let offset: u64 = 0;
  let valueCount: u32 = 0;
  let fmtLength: u32 = 1; // '<'
  let oversizedAt: i32 = -1;
  for (let f: u32 = 0; f < fieldCount; f++) {
    const typePtr = <usize>load<u32>(work(f, 2));
    const typeLength = load<u32>(work(f, 3));
    let kind = KIND_PAD;
    let size: u32 = 0;
    if (typeLength > 0 && load<u8>(typePtr) === 95) {
      size = paddingSize(typePtr, typeLength);
      if (size === 0) return fail(ERR_PADDING_SIZE, f, 0);
      fmtLength += size === 1 ? 1 : decimalDigits(size) + 1;
    } else {
      const nameStatus = checkName(f);
      if (nameStatus !== LAYOUT_OK) return nameStatus;
      const earlier = findOrInsertName(f, capacity);
      if (earlier >= 0) return fail(ERR_DUPLICATE_NAME, f, earlier);
      kind = kindFromName(typePtr, typeLength);
      if (kind === KIND_PAD) return fail(ERR_UNKNOWN_TYPE, f, suggestKind(typePtr, typeLength));
      size = kindSize(kind);
      valueCount++;
      fmtLength++;
    }
    store<u32>(work(f, 4), kind);
    store<u32>(work(f, 5), <u32>(offset < <u64>MAX_RECORD_SIZE ? offset : <u64>MAX_RECORD_SIZE));
    store<u32>(work(f, 6), size);
    offset += size;
    if (oversizedAt < 0 && offset > <u64>MAX_RECORD_SIZE) oversizedAt = <i32>f;
  }
  if (valueCount === 0) return fail(ERR_NO_VALUE_FIELDS, -1, 0);
  if (oversizedAt >= 0) {
    return fail(ERR_RECORD_TOO_LARGE, oversizedAt, <i32>(offset < 0x7fffffff ? offset : 0x7fffffff));
  }

  const tsStatus = findTimestamp(fieldCount);
  if (tsStatus !== LAYOUT_OK) return tsStatus;
  writeOutput(fieldCount, valueCount, <u32>offset, fmtLength);
  return LAYOUT_OK;
}

let tsField: u32 = 0;
let tsValueIndex: u32 = 0;

function findTimestamp(fieldCount: u32): u32 {
  if (tsNameLength === 0) return fail(ERR_TS_MISSING, -1, 0);
  let valueIndex: u32 = 0;
  for (let f: u32 = 0; f < fieldCount; f++) {
    const kind = load<u32>(work(f, 4));
    if (kind === KIND_PAD) continue;
    if (bytesEqual(tsNamePtr, tsNameLength, <usize>load<u32>(work(f, 0)), load<u32>(work(f, 1)))) {
      if (kind !== KIND_UINT64 && kind !== KIND_INT64) return fail(ERR_TS_WRONG_TYPE, f, 0);
      tsField = f;
      tsValueIndex = valueIndex;
      return LAYOUT_OK;
    }
    valueIndex++;
  }
  return fail(ERR_TS_NOT_FOUND, -1, suggestField(tsNamePtr, tsNameLength, fieldCount));
}

function decimalDigits(n: u32): u32 {
  let digits: u32 = 1;
  while (n >= 10) {
    n /= 10;
    digits++;
  }
  return digits;
}

function writeOutput(fieldCount: u32, valueCount: u32, recordSize: u32, fmtLength: u32): void {
  heap.free(outputPtr);
  outputPtr = heap.alloc(<usize>((HEADER_WORDS + fieldCount * FIELD_WORDS) * 4 + fmtLength));
  store<u32>(out(0), LAYOUT_OK);
  store<i32>(out(1), -1);
  store<i32>(out(2), 0);
  store<u32>(out(3), recordSize);
  store<u32>(out(4), fieldCount);
  store<u32>(out(5), valueCount);
  store<u32>(out(6), tsField);
  store<u32>(out(7), tsValueIndex);
  store<u32>(out(8), fmtLength);
  store<u32>(out(9), 0);
  let fmt: usize = out(HEADER_WORDS + fieldCount * FIELD_WORDS);
  store<u8>(fmt++, 60); // '<'
  for (let f: u32 = 0; f < fieldCount; f++) {
    const kind = load<u32>(work(f, 4));
    const size = load<u32>(work(f, 6));
    const entry = HEADER_WORDS + f * FIELD_WORDS;
    store<u32>(out(entry), kind);
    store<u32>(out(entry + 1), load<u32>(work(f, 5)));
    store<u32>(out(entry + 2), size);
    if (kind !== KIND_PAD) {
      store<u8>(fmt++, kindFmtCode(kind));
      continue;
    }
    if (size > 1) {
      const digits = decimalDigits(size);
      let n = size;
      for (let d: u32 = digits; d > 0; d--) {
        store<u8>(fmt + <usize>(d - 1), <u8>(48 + (n % 10)));
        n /= 10;
      }
      fmt += <usize>digits;
    }
    store<u8>(fmt++, 120); // 'x'
  }
}
