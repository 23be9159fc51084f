// A record packer inside WASM, kept only to measure the alternative to the generated JS
// codecs (scripts/measure.mjs): JS stages values as f64 in linear memory, WASM packs them
// at the layout's offsets, and JS copies the record out. It does not validate.
//
// Descriptor (per value field): u32 kind, u32 offset.

import {
  KIND_CHAR,
  KIND_FLOAT32,
  KIND_FLOAT64,
  KIND_INT8,
  KIND_INT16,
  KIND_INT32,
  KIND_INT64,
  KIND_UINT8,
  KIND_UINT16,
  KIND_UINT32,
  KIND_UINT64,
} from './kinds';

export function packRecord(descriptorPtr: usize, fieldCount: u32, valuesPtr: usize, recordPtr: usize): void {
  for (let i: u32 = 0; i < fieldCount; i++) {
    const kind = load<u32>(descriptorPtr + <usize>(i * 8));
    const at = recordPtr + <usize>load<u32>(descriptorPtr + <usize>(i * 8 + 4));
    const value = load<f64>(valuesPtr + <usize>(i * 8));
    switch (kind) {
      case KIND_FLOAT64:
        store<f64>(at, value);
        break;
      case KIND_UINT64:
        store<u64>(at, <u64>value);
        break;
      case KIND_INT64:
        store<i64>(at, <i64>value);
        break;
      case KIND_FLOAT32:
        store<f32>(at, <f32>value);
        break;
      case KIND_UINT32:
        store<u32>(at, <u32>value);
        break;
      case KIND_INT32:
        store<i32>(at, <i32>value);
        break;
      case KIND_UINT16:
      case KIND_INT16:
        store<u16>(at, <u16>(<i32>value));
        break;
      case KIND_UINT8:
      case KIND_INT8:
      case KIND_CHAR:
        store<u8>(at, <u8>(<i32>value));
        break;
    }
  }
}
