// Field kinds shared by the layout compiler and the packer. The numeric codes cross the
// WASM boundary, so src/kinds.ts mirrors them; test/kinds.test.ts keeps the two in step.

export const KIND_PAD: u32 = 0;
export const KIND_UINT8: u32 = 1;
export const KIND_UINT16: u32 = 2;
export const KIND_UINT32: u32 = 3;
export const KIND_UINT64: u32 = 4;
export const KIND_INT8: u32 = 5;
export const KIND_INT16: u32 = 6;
export const KIND_INT32: u32 = 7;
export const KIND_INT64: u32 = 8;
export const KIND_FLOAT32: u32 = 9;
export const KIND_FLOAT64: u32 = 10;
export const KIND_CHAR: u32 = 11;
export const VALUE_KIND_COUNT: u32 = 11;

// Type names as ASCII bytes ("uint8uint16...char"), indexed by kind - 1. Bytes rather than
// AssemblyScript strings so names compare directly against the UTF-8 input.
const TYPE_NAME_BYTES = memory.data<u8>([
  117, 105, 110, 116, 56, 117, 105, 110, 116, 49, 54, 117, 105, 110, 116, 51, 50, 117, 105, 110, 116, 54, 52,
  105, 110, 116, 56, 105, 110, 116, 49, 54, 105, 110, 116, 51, 50, 105, 110, 116, 54, 52, 102, 108, 111, 97,
  116, 51, 50, 102, 108, 111, 97, 116, 54, 52, 99, 104, 97, 114,
]);
const TYPE_NAME_OFFSETS = memory.data<u8>([0, 5, 11, 17, 23, 27, 32, 37, 42, 49, 56]);
const TYPE_NAME_LENGTHS = memory.data<u8>([5, 6, 6, 6, 4, 5, 5, 5, 7, 7, 4]);
const KIND_SIZES = memory.data<u8>([1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 1]);
// Python struct codes: B H I Q b h i q f d c.
const KIND_FMT_CODES = memory.data<u8>([66, 72, 73, 81, 98, 104, 105, 113, 102, 100, 99]);

export function typeNamePtr(kind: u32): usize {
  return TYPE_NAME_BYTES + <usize>load<u8>(TYPE_NAME_OFFSETS + <usize>(kind - 1));
}

export function typeNameLength(kind: u32): u32 {
  return <u32>load<u8>(TYPE_NAME_LENGTHS + <usize>(kind - 1));
}

export function kindSize(kind: u32): u32 {
  return <u32>load<u8>(KIND_SIZES + <usize>(kind - 1));
}

export function kindFmtCode(kind: u32): u8 {
  return load<u8>(KIND_FMT_CODES + <usize>(kind - 1));
}

export function bytesEqual(a: usize, aLen: u32, b: usize, bLen: u32): bool {
  if (aLen !== bLen) return false;
  for (let i: u32 = 0; i < aLen; i++) {
    if (load<u8>(a + <usize>i) !== load<u8>(b + <usize>i)) return false;
  }
  return true;
}

/** The kind named by the bytes, or KIND_PAD when no value type has that name. */
export function kindFromName(ptr: usize, len: u32): u32 {
  for (let kind: u32 = 1; kind <= VALUE_KIND_COUNT; kind++) {
    if (bytesEqual(ptr, len, typeNamePtr(kind), typeNameLength(kind))) return kind;
  }
  return KIND_PAD;
}
