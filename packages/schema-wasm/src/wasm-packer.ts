import type { RecordLayout } from './layout-types.js';
import { type SchemaWasm, schemaWasm } from './wasm.js';

const KIND_BY_TYPE: Readonly<Record<string, number>> = {
  uint8: 1,
  uint16: 2,
  uint32: 3,
  uint64: 4,
  int8: 5,
  int16: 6,
  int32: 7,
  int64: 8,
  float32: 9,
  float64: 10,
  char: 11,
};

/**
 * Packs a record inside WASM then copies it out. It exists to measure that design against
 * the generated JS codecs (scripts/measure.mjs): it does NOT validate, takes numbers only
 * (64-bit values must be safe integers, chars byte numbers), and is not for production writes.
 */
export interface WasmPacker extends Disposable {
  readonly layout: RecordLayout;
  pack(target: Uint8Array, byteOffset: number, values: ArrayLike<number>): void;
  dispose(): void;
}

export function createWasmPacker(layout: RecordLayout): WasmPacker {
  const wasm: SchemaWasm = schemaWasm();
  const count = layout.fields.length;
  const descriptor = wasm.alloc(count * 8);
  const values = wasm.alloc(count * 8);
  const record = wasm.alloc(layout.recordSize);
  let buffer: ArrayBuffer | undefined;
  let staged = new Float64Array(0);
  let packed = new Uint8Array(0);
  // Views over WASM memory detach when it grows, so they are rebuilt when the buffer changes.
  const views = () => {
    if (buffer !== wasm.memory.buffer) {
      buffer = wasm.memory.buffer;
      staged = new Float64Array(buffer, values, count);
      packed = new Uint8Array(buffer, record, layout.recordSize);
    }
  };
  const words = new Uint32Array(wasm.memory.buffer, descriptor, count * 2);
  layout.fields.forEach((field, i) => {
    words[2 * i] = KIND_BY_TYPE[field.type];
    words[2 * i + 1] = field.offset;
  });
  new Uint8Array(wasm.memory.buffer, record, layout.recordSize).fill(0);
  let live = true;

  return {
    layout,
    pack(target, byteOffset, input) {
      views();
      for (let i = 0; i < count; i++) staged[i] = input[i];
      wasm.packRecord(descriptor, count, values, record);
      target.set(packed, byteOffset);
    },
    dispose() {
      if (!live) return;
      live = false;
      wasm.free(descriptor);
      wasm.free(values);
      wasm.free(record);
    },
    [Symbol.dispose]() {
      this.dispose();
    },
  };
}
