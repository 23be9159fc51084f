// Encodes a schema into schema.wasm's linear memory in the format assembly/layout.ts reads:
//   u32 fieldCount, fieldCount x { u16 nameLength, u16 typeLength, name, type }, u16 tsLength, tsCol

import type { SchemaWasm } from './wasm.js';

const encoder = new TextEncoder();
const U16_MAX = 0xffff;

// Strings longer than a u16 length are cut: every rule still fails them (names and types are
// far shorter), and messages quote the original JS strings.
function utf8(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  return bytes.length > U16_MAX ? bytes.subarray(0, U16_MAX) : bytes;
}

export function writeLayoutInput(
  wasm: SchemaWasm,
  fields: readonly { name: string; type: string }[],
  tsCol: string,
): number {
  const encoded = fields.map((field) => [utf8(field.name), utf8(field.type)] as const);
  const ts = utf8(tsCol);
  let length = 4 + 2 + ts.length;
  for (const [name, type] of encoded) length += 4 + name.length + type.length;

  const ptr = wasm.layoutInputPtr(length);
  const bytes = new Uint8Array(wasm.memory.buffer, ptr, length);
  const view = new DataView(wasm.memory.buffer, ptr, length);
  view.setUint32(0, fields.length, true);
  let p = 4;
  for (const [name, type] of encoded) {
    view.setUint16(p, name.length, true);
    view.setUint16(p + 2, type.length, true);
    bytes.set(name, p + 4);
    bytes.set(type, p + 4 + name.length);
    p += 4 + name.length + type.length;
  }
  view.setUint16(p, ts.length, true);
  bytes.set(ts, p + 2);
  return length;
}
