import { describe, expect, it } from 'vitest';
import {
  copyBytes,
  copyOrderedAvailable,
  copyRecordsOrdered,
  copyStrided,
  copyStridedAvailable,
  type GatherField,
  gatherAvailable,
  gatherFields,
  type ScatterField,
  scatterAvailable,
  scatterFields,
} from '../src/index.js';

// A 32-byte record: f64 @0, u64 @8, i64 @16, f32 @24, i16 @28, u8 @30, char @31.
const STRIDE = 32;

function records(count: number, at: (i: number, view: DataView, o: number) => void): DataView<ArrayBuffer> {
  const view = new DataView(new ArrayBuffer(count * STRIDE));
  for (let i = 0; i < count; i++) at(i, view, i * STRIDE);
  return view;
}

function sample(count: number): DataView<ArrayBuffer> {
  return records(count, (i, view, o) => {
    view.setFloat64(o, i + 0.5, true);
    view.setBigUint64(o + 8, BigInt(i) * 1_000_000_007n, true);
    view.setBigInt64(o + 16, BigInt(-i) * 3n, true);
    view.setFloat32(o + 24, i / 4, true);
    view.setInt16(o + 28, -i, true);
    view.setUint8(o + 30, i & 0xff);
    view.setUint8(o + 31, 65 + (i % 26));
  });
}

describe.runIf(gatherAvailable)('gatherFields', () => {
  it('copies every field width and converts 64-bit integers into its column, from targetIndex on', () => {
    const count = 1000;
    const source = sample(count);
    const price = new Float64Array(count + 2);
    const qtyNumber = new Float64Array(count + 2);
    const qtyBig = new BigUint64Array(count + 2);
    const delta = new Float64Array(count + 2);
    const ratio = new Float32Array(count + 2);
    const level = new Int16Array(count + 2);
    const flag = new Uint8Array(count + 2);
    const side = new Uint8Array(count + 2);
    const fields: GatherField[] = [
      { offset: 0, kind: 'copy8', target: price },
      { offset: 8, kind: 'uint64ToFloat64', target: qtyNumber },
      { offset: 8, kind: 'copy8', target: qtyBig },
      { offset: 16, kind: 'int64ToFloat64', target: delta },
      { offset: 24, kind: 'copy4', target: ratio },
      { offset: 28, kind: 'copy2', target: level },
      { offset: 30, kind: 'copy1', target: flag },
      { offset: 31, kind: 'copy1', target: side },
    ];
    expect(gatherFields(source, 0, STRIDE, count, fields, 2)).toBe(-1);
    for (const i of [0, 1, 255, 256, count - 1]) {
      expect(price[i + 2]).toBe(i + 0.5);
      expect(qtyNumber[i + 2]).toBe(i * 1_000_000_007);
      expect(qtyBig[i + 2]).toBe(BigInt(i) * 1_000_000_007n);
      expect(delta[i + 2]).toBe(0 - i * 3);
      expect(ratio[i + 2]).toBe(i / 4);
      expect(level[i + 2]).toBe(0 - i);
      expect(flag[i + 2]).toBe(i & 0xff);
      expect(side[i + 2]).toBe(65 + (i % 26));
    }
    expect([price[0], price[1]]).toEqual([0, 0]); // before targetIndex: untouched
  });

  it('reads records at an offset inside an ArrayBuffer, a typed array or a DataView alike', () => {
    const source = sample(10);
    const fromView = new Float64Array(4);
    const fromBuffer = new Float64Array(4);
    const fromArray = new Float64Array(4);
    const at = 3 * STRIDE;
    expect(gatherFields(source, at, STRIDE, 4, [{ offset: 0, kind: 'copy8', target: fromView }])).toBe(-1);
    expect(
      gatherFields(source.buffer, at, STRIDE, 4, [{ offset: 0, kind: 'copy8', target: fromBuffer }]),
    ).toBe(-1);
    const bytes = new Uint8Array(source.buffer, STRIDE); // starts at record 1
    expect(
      gatherFields(bytes, 2 * STRIDE, STRIDE, 4, [{ offset: 0, kind: 'copy8', target: fromArray }]),
    ).toBe(-1);
    for (const column of [fromView, fromBuffer, fromArray]) expect([...column]).toEqual([3.5, 4.5, 5.5, 6.5]);
  });

  it('stops at the first 64-bit integer that is not a safe integer and says which record', () => {
    const limits = [2 ** 53 - 1, -(2 ** 53 - 1)];
    const source = records(6, (i, view, o) => {
      view.setBigUint64(o + 8, i === 4 ? 2n ** 53n : BigInt(limits[0]), true);
      view.setBigInt64(o + 16, i === 2 ? -(2n ** 53n) : BigInt(limits[1]), true);
    });
    const unsigned = new Float64Array(6);
    expect(
      gatherFields(source, 0, STRIDE, 6, [{ offset: 8, kind: 'uint64ToFloat64', target: unsigned }]),
    ).toBe(4);
    expect([...unsigned]).toEqual([limits[0], limits[0], limits[0], limits[0], 0, 0]);
    const signed = new Float64Array(6);
    expect(gatherFields(source, 0, STRIDE, 6, [{ offset: 16, kind: 'int64ToFloat64', target: signed }])).toBe(
      2,
    );
    expect([...signed]).toEqual([limits[1], limits[1], 0, 0, 0, 0]);
  });

  it('reports the earliest unsafe integer over all columns, with every column whole before it', () => {
    // Columns are gathered block by block (512 records), one column at a time: the unsafe values
    // sit in different columns of one block (2560-3071), and the later column's comes first.
    const count = 5000;
    const source = sample(count);
    source.setBigUint64(3050 * STRIDE + 8, 2n ** 60n, true);
    source.setBigInt64(3000 * STRIDE + 16, -(2n ** 62n), true);
    const qty = new Float64Array(count);
    const signed = new Float64Array(count);
    const price = new Float64Array(count);
    const fields: GatherField[] = [
      { offset: 8, kind: 'uint64ToFloat64', target: qty },
      { offset: 16, kind: 'int64ToFloat64', target: signed },
      { offset: 0, kind: 'copy8', target: price },
    ];
    expect(gatherFields(source, 0, STRIDE, count, fields)).toBe(3000);
    for (let i = 0; i < 3000; i++) {
      if (qty[i] !== i * 1_000_000_007 || signed[i] !== -i * 3 || price[i] !== i + 0.5) {
        throw new Error(`record ${i} not gathered: ${qty[i]} ${signed[i]} ${price[i]}`);
      }
    }
  });

  it('does nothing for zero records', () => {
    expect(
      gatherFields(new ArrayBuffer(0), 0, STRIDE, 0, [
        { offset: 0, kind: 'copy8', target: new Float64Array(0) },
      ]),
    ).toBe(-1);
  });

  it('refuses, before moving a byte, anything that would read or write outside its memory', () => {
    const source = sample(4);
    const column = new Float64Array(4);
    const copy = (target: ArrayBufferView = column, offset = 0): GatherField[] => [
      { offset, kind: 'copy8', target },
    ];
    expect(() => gatherFields(source, STRIDE, STRIDE, 4, copy())).toThrow(
      /4 records of 32 bytes \(fields up to byte 8\) at 32 exceed the 128-byte source/,
    );
    // The last record needs only the bytes its fields take: one byte short of them is refused.
    const short = new DataView(source.buffer, 0, 3 * STRIDE + 7);
    expect(() => gatherFields(short, 0, STRIDE, 4, copy())).toThrow(/exceed the 103-byte source/);
    const exact = new Float64Array(4);
    expect(gatherFields(new DataView(source.buffer, 0, 3 * STRIDE + 8), 0, STRIDE, 4, copy(exact))).toBe(-1);
    expect(exact[3]).toBe(3.5);
    expect(() => gatherFields(source, 0, STRIDE, 4, copy(new Float64Array(3)))).toThrow(
      /fields\[0\]\.target holds 3 elements, needs 4/,
    );
    expect(() => gatherFields(source, 0, STRIDE, 2, copy(), 3)).toThrow(/holds 4 elements, needs 5/);
    expect(() => gatherFields(source, 0, STRIDE, 4, copy(column, 25))).toThrow(
      /fields\[0\]: offset 25 \+ 8 bytes does not fit a 32-byte record/,
    );
    expect(() => gatherFields(source, 0, STRIDE, 4, copy(column, 1.5))).toThrow(
      /fields\[0\]: offset must be an integer >= 0/,
    );
    expect(() => gatherFields(source, 0, 0, 4, copy())).toThrow(/stride must be > 0/);
    expect(() =>
      gatherFields(source, 0, STRIDE, 4, [{ offset: 0, kind: 'copy3' as 'copy1', target: column }]),
    ).toThrow(/fields\[0\]\.kind must be one of copy1, copy2, copy4, copy8/);
    expect(() =>
      gatherFields(source, 0, STRIDE, 4, [{ offset: 0, kind: 'copy8', target: {} as ArrayBufferView }]),
    ).toThrow(/fields\[0\]\.target must be a typed array/);
    expect(column.every((value) => value === 0)).toBe(true);
  });

  it('splits a large run over threads with the same result, and finds an unsafe integer in any part', () => {
    const count = 600_000; // above the 512 K records from which threads are used
    const source = sample(count);
    const gathered = [1, 3].map((threads) => {
      const price = new Float64Array(count);
      const qty = new Float64Array(count);
      const fields: GatherField[] = [
        { offset: 0, kind: 'copy8', target: price },
        { offset: 8, kind: 'uint64ToFloat64', target: qty },
      ];
      expect(gatherFields(source, 0, STRIDE, count, fields, 0, { threads })).toBe(-1);
      return { price, qty };
    });
    expect(Buffer.compare(Buffer.from(gathered[0].price.buffer), Buffer.from(gathered[1].price.buffer))).toBe(
      0,
    );
    expect(Buffer.compare(Buffer.from(gathered[0].qty.buffer), Buffer.from(gathered[1].qty.buffer))).toBe(0);
    expect(gathered[1].qty[count - 1]).toBe((count - 1) * 1_000_000_007);
    source.setBigUint64(590_000 * STRIDE + 8, 2n ** 60n, true);
    const qty = new Float64Array(count);
    const fields: GatherField[] = [{ offset: 8, kind: 'uint64ToFloat64', target: qty }];
    expect(gatherFields(source, 0, STRIDE, count, fields, 0, { threads: 2 })).toBe(590_000);
  });

  it.each([0, 2.5, -1])('refuses threads %s', (threads) => {
    const column = new Float64Array(1);
    expect(() =>
      gatherFields(new ArrayBuffer(STRIDE), 0, STRIDE, 1, [{ offset: 0, kind: 'copy8', target: column }], 0, {
        threads,
      }),
    ).toThrow(/gatherFields: threads must be an integer >= 1/);
  });
});

describe.runIf(scatterAvailable)('scatterFields', () => {
  // Every field of sample() as its column, the way gatherFields returns them.
  function columnsOf(count: number) {
    const source = sample(count);
    const columns = {
      price: new Float64Array(count),
      qty: new BigUint64Array(count),
      signed: new BigInt64Array(count),
      ratio: new Float32Array(count),
      delta: new Int16Array(count),
      flags: new Uint8Array(count),
      letter: new Uint8Array(count),
    };
    const gather: GatherField[] = [
      { offset: 0, kind: 'copy8', target: columns.price },
      { offset: 8, kind: 'copy8', target: columns.qty },
      { offset: 16, kind: 'copy8', target: columns.signed },
      { offset: 24, kind: 'copy4', target: columns.ratio },
      { offset: 28, kind: 'copy2', target: columns.delta },
      { offset: 30, kind: 'copy1', target: columns.flags },
      { offset: 31, kind: 'copy1', target: columns.letter },
    ];
    expect(gatherFields(source, 0, STRIDE, count, gather)).toBe(-1);
    const scatter: ScatterField[] = gather.map(({ offset, kind, target }) => ({
      offset,
      kind: kind as ScatterField['kind'],
      source: target,
    }));
    return { source, scatter };
  }

  it('writes every field width back into records byte for byte, across blocks, from sourceIndex on', () => {
    const count = 5000; // nine 512-record blocks and part of a tenth
    const { source, scatter } = columnsOf(count);
    const records = new Uint8Array(STRIDE * (count + 1));
    expect(scatterFields(records, STRIDE, STRIDE, count, scatter)).toBe(-1);
    expect(Buffer.compare(Buffer.from(records.subarray(STRIDE)), Buffer.from(source.buffer))).toBe(0);
    // From sourceIndex 100 on, into a DataView at an offset: records 100.. of the source.
    const tail = new DataView(new ArrayBuffer(STRIDE * 50 + 8), 8);
    expect(scatterFields(tail, 0, STRIDE, 50, scatter, 100)).toBe(-1);
    const expected = Buffer.from(source.buffer, 100 * STRIDE, 50 * STRIDE);
    expect(Buffer.compare(Buffer.from(tail.buffer, 8), expected)).toBe(0);
  });

  it('copies NaN payloads bit for bit and leaves bytes no field covers untouched', () => {
    const column = new Float64Array(
      new BigUint64Array([0x7ff8_0000_dead_beefn, 0xfff0_0000_0000_0001n]).buffer,
    );
    const records = new Uint8Array(2 * 16).fill(0xaa);
    expect(scatterFields(records, 0, 16, 2, [{ offset: 4, kind: 'copy8', source: column }])).toBe(-1);
    const view = new DataView(records.buffer);
    expect(view.getBigUint64(4, true)).toBe(0x7ff8_0000_dead_beefn);
    expect(view.getBigUint64(20, true)).toBe(0xfff0_0000_0000_0001n);
    expect([...records.subarray(0, 4), ...records.subarray(12, 20), ...records.subarray(28)]).toEqual(
      new Array(16).fill(0xaa),
    );
  });

  it('converts safe-integer doubles to 64-bit integers and stops at the first that is not one', () => {
    const limit = 2 ** 53 - 1;
    const unsigned = new Float64Array([0, limit, 7, 2 ** 53, 1]);
    const signed = new Float64Array([-limit, limit, 1.5, 0, 0]);
    const records = new DataView(new ArrayBuffer(5 * STRIDE));
    const fields: ScatterField[] = [
      { offset: 8, kind: 'float64ToUint64', source: unsigned },
      { offset: 16, kind: 'float64ToInt64', source: signed },
    ];
    // 1.5 (record 2) comes before 2^53 (record 3), in a later column of the same block.
    expect(scatterFields(records, 0, STRIDE, 5, fields)).toBe(2);
    expect([0, 1].map((i) => records.getBigUint64(i * STRIDE + 8, true))).toEqual([0n, BigInt(limit)]);
    expect([0, 1].map((i) => records.getBigInt64(i * STRIDE + 16, true))).toEqual([
      BigInt(-limit),
      BigInt(limit),
    ]);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 64, -0.5]) {
      const one = new DataView(new ArrayBuffer(STRIDE));
      expect(
        scatterFields(one, 0, STRIDE, 1, [
          { offset: 8, kind: 'float64ToUint64', source: new Float64Array([bad]) },
        ]),
      ).toBe(0);
      expect(one.getBigUint64(8, true)).toBe(0n);
    }
    for (const bad of [-(2 ** 53), 2 ** 63, Number.NEGATIVE_INFINITY, Number.NaN]) {
      expect(
        scatterFields(new ArrayBuffer(STRIDE), 0, STRIDE, 1, [
          { offset: 16, kind: 'float64ToInt64', source: new Float64Array([bad]) },
        ]),
      ).toBe(0);
    }
  });

  it('refuses, before writing a byte, anything that would read or write outside its memory', () => {
    const records = new Uint8Array(4 * STRIDE);
    const column = new Float64Array(4).fill(1);
    const field = (extra: Partial<ScatterField> = {}): ScatterField[] => [
      { offset: 0, kind: 'copy8', source: column, ...extra },
    ];
    expect(() => scatterFields(records, STRIDE, STRIDE, 4, field())).toThrow(
      /scatterFields: 4 records of 32 bytes \(fields up to byte 8\) at 32 exceed the 128-byte target/,
    );
    // A ring's last slot: the buffer ends where the last record's fields end, not a stride later.
    expect(() => scatterFields(records.subarray(0, 3 * STRIDE + 7), 0, STRIDE, 4, field())).toThrow(
      /exceed the 103-byte target/,
    );
    expect(() => scatterFields(records, 0, STRIDE, 4, field(), 1)).toThrow(
      /scatterFields: fields\[0\]\.source holds 4 elements, needs 5/,
    );
    expect(() => scatterFields(records, 0, STRIDE, 1, field({ offset: 28 }))).toThrow(
      /fields\[0\]: offset 28 \+ 8 bytes does not fit a 32-byte record/,
    );
    expect(() =>
      scatterFields(records, 0, STRIDE, 1, [{ offset: 0, kind: 'uint64ToFloat64' as never, source: column }]),
    ).toThrow(/kind must be one of/);
    expect(() => scatterFields(records, 0, 0, 1, field())).toThrow(/stride must be > 0/);
    expect([...records]).toEqual(new Array(4 * STRIDE).fill(0));
    expect(scatterFields(records.subarray(0, 3 * STRIDE + 8), 0, STRIDE, 4, field())).toBe(-1);
    expect(new Float64Array(records.buffer, 3 * STRIDE, 1)[0]).toBe(1);
  });
});

describe('copyBytes', () => {
  function pattern(length: number, seed: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
    return bytes;
  }

  it('copies a byte range between any two kinds of buffer, at offsets', () => {
    const source = pattern(1000, 7);
    const target = new Uint8Array(1200);
    copyBytes(target.buffer, 100, new DataView(source.buffer, 10), 5, 900);
    expect(
      Buffer.compare(Buffer.from(target.subarray(100, 1000)), Buffer.from(source.subarray(15, 915))),
    ).toBe(0);
    expect(target.subarray(0, 100).every((byte) => byte === 0)).toBe(true);
    expect(target.subarray(1000).every((byte) => byte === 0)).toBe(true);
    copyBytes(new Uint8Array(target.buffer, 1000), 0, source, 0, 0); // nothing to copy
  });

  it('gives the same bytes with one thread or several, and copies overlapping ranges as memmove', () => {
    const length = 40 * 1024 * 1024 + 13; // above the 32 MiB from which threads are used
    const source = pattern(length, 3);
    const single = new Uint8Array(length);
    const parallel = new Uint8Array(length);
    copyBytes(single, 0, source, 0, length);
    copyBytes(parallel, 0, source, 0, length, { threads: 3 });
    expect(Buffer.compare(Buffer.from(single), Buffer.from(source))).toBe(0);
    expect(Buffer.compare(Buffer.from(parallel), Buffer.from(source))).toBe(0);
    const shifted = pattern(length + 4096, 5);
    const expected = Buffer.from(shifted.subarray(0, length));
    copyBytes(shifted, 4096, shifted, 0, length, { threads: 3 }); // overlapping: one memmove
    expect(Buffer.compare(Buffer.from(shifted.subarray(4096)), expected)).toBe(0);
  });

  it('refuses a range outside either buffer before copying anything', () => {
    const target = new Uint8Array(16);
    const source = pattern(16, 1);
    expect(() => copyBytes(target, 8, source, 0, 9)).toThrow(
      /copyBytes: 9 bytes at 8 exceed the 16-byte target/,
    );
    expect(() => copyBytes(target, 0, source, 10, 7)).toThrow(
      /copyBytes: 7 bytes at 10 exceed the 16-byte source/,
    );
    expect(() => copyBytes(target, 0, {} as ArrayBuffer, 0, 1)).toThrow(/copyBytes: source must be/);
    expect(() => copyBytes(target, 0, source, 0, 1, { threads: 0 })).toThrow(
      /copyBytes: threads must be an integer >= 1/,
    );
    expect(target.every((byte) => byte === 0)).toBe(true);
  });
});

describe.runIf(copyOrderedAvailable)('copyRecordsOrdered', () => {
  /** `ts.length` records of `size` bytes: filler bytes, then the 64-bit timestamp at `tsOffset`. */
  function stamped(ts: readonly bigint[], size: number, tsOffset: number, signed: boolean): Uint8Array {
    const bytes = new Uint8Array(ts.length * size);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < ts.length; i++) {
      for (let b = 0; b < size; b++) bytes[i * size + b] = (i * 7 + b) & 0xff;
      if (signed) view.setBigInt64(i * size + tsOffset, ts[i], true);
      else view.setBigUint64(i * size + tsOffset, ts[i], true);
    }
    return bytes;
  }

  it('copies records of any size byte for byte when every timestamp is non-decreasing (ties too)', () => {
    for (const [size, tsOffset] of [
      [24, 16],
      [8, 0],
      [13, 5],
      [40, 0],
    ]) {
      const ts = Array.from({ length: 1000 }, (_, i) => BigInt(Math.floor(i / 3)) + 2n ** 60n);
      const source = stamped(ts, size, tsOffset, false);
      const target = new Uint8Array(source.length + 2 * size).fill(0xee);
      expect(copyRecordsOrdered(target, size, source, 0, ts.length, size, tsOffset, false)).toBe(-1);
      expect(target.subarray(size, size + source.length)).toEqual(source);
      expect(target.subarray(0, size).every((b) => b === 0xee)).toBe(true);
      expect(target.subarray(size + source.length).every((b) => b === 0xee)).toBe(true);
    }
  });

  it('stops at the first decrease, with only the records before it copied', () => {
    const ts = [1n, 5n, 5n, 9n, 8n, 10n];
    const source = stamped(ts, 24, 16, false);
    const target = new Uint8Array(source.length);
    expect(copyRecordsOrdered(target, 0, source, 0, ts.length, 24, 16, false)).toBe(4);
    expect(target.subarray(0, 4 * 24)).toEqual(source.subarray(0, 4 * 24));
    expect(target.subarray(4 * 24).every((b) => b === 0)).toBe(true);
  });

  it('compares 64-bit values exactly: unsigned above 2^63, signed below zero, beyond 2^53', () => {
    const unsigned = [2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
    expect(
      copyRecordsOrdered(new Uint8Array(72), 0, stamped(unsigned, 24, 16, false), 0, 3, 24, 16, false),
    ).toBe(-1);
    // Read as signed, 2^63 would be negative: the same bytes are a decrease.
    const asSigned = stamped(unsigned, 24, 16, false);
    expect(copyRecordsOrdered(new Uint8Array(72), 0, asSigned, 0, 3, 24, 16, true)).toBe(1);
    const signed = [-(2n ** 60n), -1n, 0n, 2n ** 53n + 1n, 2n ** 53n];
    expect(
      copyRecordsOrdered(new Uint8Array(120), 0, stamped(signed, 24, 16, true), 0, 5, 24, 16, true),
    ).toBe(4);
  });

  it('refuses, before copying a byte, anything outside either buffer, a timestamp outside the record, or an overlap', () => {
    const source = stamped([1n, 2n, 3n], 24, 16, false);
    const target = new Uint8Array(72);
    const untouched = () => expect(target.every((b) => b === 0)).toBe(true);
    expect(() => copyRecordsOrdered(target, 1, source, 0, 3, 24, 16, false)).toThrow(
      /exceed the 72-byte target/,
    );
    expect(() => copyRecordsOrdered(target, 0, source, 1, 3, 24, 16, false)).toThrow(
      /exceed the 72-byte source/,
    );
    expect(() => copyRecordsOrdered(target, 0, source, 0, 3, 24, 17, false)).toThrow(
      /cannot hold an 8-byte timestamp/,
    );
    expect(() => copyRecordsOrdered(target, 0, source, 0, 3, 0, 0, false)).toThrow(RangeError);
    expect(() => copyRecordsOrdered(target, 0, source, 0, 2 ** 52, 2 ** 20, 0, false)).toThrow(RangeError);
    untouched();
    expect(() => copyRecordsOrdered(source, 24, source, 0, 2, 24, 16, false)).toThrow(/overlap/);
    expect(() => copyRecordsOrdered(target, 0, 'bytes' as never, 0, 1, 24, 16, false)).toThrow(TypeError);
    expect(copyRecordsOrdered(target, 72, source, 72, 0, 24, 16, false)).toBe(-1);
    untouched();
  });
});

describe('copyStrided', () => {
  /** Bytes 1, 2, 3, ... (mod 251), so a record copied from the wrong place shows. */
  const counting = (length: number) => Uint8Array.from({ length }, (_, i) => (i % 251) + 1);

  it('is available', () => {
    expect(copyStridedAvailable).toBe(true);
  });

  it.each([
    [24, 32, 24], // a ring's slots (8-byte stamp, 24-byte record) to records back to back
    [24, 24, 40], // records back to back to slots
    [13, 16, 13], // an odd record size
  ])('copies records of %i bytes from stride %i to stride %i', (size, fromStride, toStride) => {
    const count = 37;
    const source = counting(7 + count * fromStride);
    const target = new Uint8Array(5 + count * toStride).fill(0xee);
    copyStrided(target, 5, toStride, source, 7, fromStride, size, count);
    for (let i = 0; i < count; i++) {
      const want = source.subarray(7 + i * fromStride, 7 + i * fromStride + size);
      expect(target.subarray(5 + i * toStride, 5 + i * toStride + size)).toEqual(want);
      // The gaps between records are untouched.
      if (toStride > size) expect(target[5 + i * toStride + size]).toBe(0xee);
    }
    expect(target.subarray(0, 5)).toEqual(new Uint8Array(5).fill(0xee));
  });

  it("takes spans that end exactly at the buffers' ends and refuses one byte more, moving nothing", () => {
    const size = 24;
    const count = 10;
    const span = (count - 1) * 32 + size;
    const source = counting(span);
    const target = new Uint8Array(count * size);
    copyStrided(target, 0, size, source, 0, 32, size, count);
    expect(target.subarray(0, size)).toEqual(source.subarray(0, size));
    const untouched = new Uint8Array(count * size);
    expect(() => copyStrided(untouched, 0, size, source, 1, 32, size, count)).toThrow(
      /exceed the 312-byte source/,
    );
    expect(() => copyStrided(untouched, 1, size, source, 0, 32, size, count)).toThrow(
      /exceed the 240-byte target/,
    );
    expect(untouched).toEqual(new Uint8Array(count * size));
  });

  it('refuses strides below the record size, overlapping ranges and bad numbers', () => {
    const buffer = new Uint8Array(1024);
    const other = new Uint8Array(1024);
    expect(() => copyStrided(other, 0, 16, buffer, 0, 32, 24, 4)).toThrow(RangeError);
    expect(() => copyStrided(other, 0, 24, buffer, 0, 32, 0, 4)).toThrow(RangeError);
    expect(() => copyStrided(buffer, 100, 24, buffer, 0, 32, 24, 8)).toThrow(/overlap/);
    expect(() => copyStrided(other, -1, 24, buffer, 0, 32, 24, 4)).toThrow(RangeError);
    expect(() => copyStrided(other, 0, 24, buffer, 0, 32, 24, 1.5)).toThrow(RangeError);
    // Nothing to copy: no bounds to break.
    expect(() => copyStrided(other, 0, 24, buffer, 0, 32, 24, 0)).not.toThrow();
  });
});
