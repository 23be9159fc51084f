import { describe, expect, it } from 'vitest';
import { compileLayout, createCodec, type FieldSpec, TimeIndex } from '../src/index.js';
import { schemaWasm } from '../src/wasm.js';
import { createWasmPacker } from '../src/wasm-packer.js';

describe('createWasmPacker', () => {
  it('writes the same bytes as the generated JS codec for every type', () => {
    const fields: FieldSpec[] = [
      { name: 'a', type: 'uint8' },
      { name: 'b', type: 'uint16' },
      { name: 'c', type: 'uint32' },
      { name: 'ts', type: 'uint64' },
      { name: 'e', type: 'int8' },
      { name: 'pad', type: '_3' },
      { name: 'f', type: 'int16' },
      { name: 'g', type: 'int32' },
      { name: 'h', type: 'int64' },
      { name: 'i', type: 'float32' },
      { name: 'j', type: 'float64' },
      { name: 'k', type: 'char' },
    ];
    const layout = compileLayout(fields, 'ts');
    const values = [
      200,
      60000,
      4000000000,
      2 ** 52 + 3,
      -100,
      -30000,
      -2000000000,
      -(2 ** 50) - 1,
      1.5,
      -2.25,
      65,
    ];
    const viaJs = new Uint8Array(layout.recordSize + 4);
    createCodec(layout).encodeTuple(new DataView(viaJs.buffer), 4, values);
    const viaWasm = new Uint8Array(layout.recordSize + 4);
    using packer = createWasmPacker(layout);
    packer.pack(viaWasm, 4, values);
    expect(viaWasm).toEqual(viaJs);
  });

  it('keeps working when WASM memory grows between packs', () => {
    const layout = compileLayout(
      [
        { name: 'p', type: 'float64' },
        { name: 'ts', type: 'uint64' },
      ],
      'ts',
    );
    using packer = createWasmPacker(layout);
    const target = new Uint8Array(32);
    packer.pack(target, 0, [1, 2]);
    // A large index forces memory.grow, detaching earlier views of WASM memory.
    const before = schemaWasm().memory.buffer;
    using index = new TimeIndex({ initialCapacity: before.byteLength / 8 });
    expect(schemaWasm().memory.buffer).not.toBe(before);
    packer.pack(target, 16, [3, 4]);
    expect(index.length).toBe(0);
    const codec = createCodec(layout);
    expect(codec.decodeColumns(new DataView(target.buffer), 0, 2, 'number')).toEqual({
      p: new Float64Array([1, 3]),
      ts: new Float64Array([2, 4]),
    });
  });
});
