import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

const ALL_TYPES = [
  { name: 'ts', type: 'uint64' },
  { name: 'u8', type: 'uint8' },
  { name: 'u16', type: 'uint16' },
  { name: 'u32', type: 'uint32' },
  { name: 'u64', type: 'uint64' },
  { name: 'pad', type: '_3' },
  { name: 'i8', type: 'int8' },
  { name: 'i16', type: 'int16' },
  { name: 'i32', type: 'int32' },
  { name: 'i64', type: 'int64' },
  { name: 'f32', type: 'float32' },
  { name: 'f64', type: 'float64' },
  { name: 'c', type: 'char' },
];
const NAMES = ['ts', 'u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'f32', 'f64', 'c'];

const ROWS: unknown[][] = [
  [1, 0, 0, 0, 0, -128, -32768, -2147483648, -Number.MAX_SAFE_INTEGER, -1.5, Number.MIN_VALUE, 'a'],
  [
    2,
    255,
    65535,
    4294967295,
    Number.MAX_SAFE_INTEGER,
    127,
    32767,
    2147483647,
    Number.MAX_SAFE_INTEGER,
    3.25,
    -1e300,
    'Z',
  ],
  [2, 7, 8, 9, 10, -1, -2, -3, -4, 0.5, Number.POSITIVE_INFINITY, ' '],
];

describe('round trips for every field type', () => {
  const t = useTempBase();

  function setup(chunkSizeMb = 0.0003) {
    const p = t.platform();
    p.createFeed({ feedName: 'types', fields: ALL_TYPES, tsCol: 'ts', chunkSizeMb });
    return p;
  }

  it('returns tuples, objects, columns and raw bytes equal to what was written, across chunks', () => {
    const p = setup();
    const w = p.createWriter('types');
    // 10 copies of the rows with rising timestamps spread over several tiny chunks.
    const expected: unknown[][] = [];
    for (let k = 0; k < 10; k++) {
      for (const row of ROWS) {
        const rec = [...row];
        rec[0] = (row[0] as number) + k * 10;
        expected.push(rec);
      }
    }
    w.writeBatch(expected.slice(0, 15));
    for (const rec of expected.slice(15, 20)) w.writeTuple(rec);
    for (const rec of expected.slice(20)) w.writeDict(Object.fromEntries(NAMES.map((n, i) => [n, rec[i]])));
    expect(p.feedStatus('types').chunkCount).toBeGreaterThan(2);

    const r = p.createReader('types');
    expect(r.fieldNames).toEqual(NAMES);
    expect(r.format).toBe('<QBHIQ3xbhiqfdc');
    expect(r.range(0, 1e6)).toEqual(expected);
    expect(r.range(0, 1e6, { format: 'object' })).toEqual(
      expected.map((rec) => Object.fromEntries(NAMES.map((n, i) => [n, rec[i]]))),
    );
    expect(r.range(0, 1e6, { format: 'dict' })).toEqual(r.range(0, 1e6, { format: 'object' }));

    const columns = r.range(0, 1e6, { format: 'columnar' });
    expect(Object.keys(columns)).toEqual(NAMES);
    expect(columns.u8).toBeInstanceOf(Uint8Array);
    expect(columns.f64).toBeInstanceOf(Float64Array);
    expect(columns.i64).toBeInstanceOf(Float64Array);
    expect(Array.from(columns.i32 as Int32Array)).toEqual(expected.map((rec) => rec[7]));
    expect(Array.from(columns.f64 as Float64Array)).toEqual(expected.map((rec) => rec[10]));
    expect(r.range(0, 1e6, { format: 'numpy' }).u16).toEqual(columns.u16);

    const raw = r.range(0, 1e6, { format: 'raw' });
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(raw.length).toBe(expected.length * r.recordSize);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    expect(view.getBigUint64(r.recordSize * 4, true)).toBe(BigInt(expected[4][0] as number));
  });

  it('round-trips full-range 64-bit values as bigint and refuses to round them in number mode', () => {
    const p = setup(1);
    const w = p.createWriter('types');
    const big = [5n, 1, 1, 1, 18446744073709551615n, 1, 1, 1, -9223372036854775808n, 1, 1, 'x'];
    w.writeTuple(big);
    const asBigint = p.createReader('types', { int64: 'bigint' });
    expect(asBigint.range(0, 10)).toEqual([big]);
    const cols = asBigint.range(0, 10, { format: 'columnar' });
    expect(cols.u64).toBeInstanceOf(BigUint64Array);
    expect(cols.i64).toBeInstanceOf(BigInt64Array);
    const asNumber = p.createReader('types');
    expect(() => asNumber.range(0, 10)).toThrow(/u64/);
    expect(() => asNumber.range(0, 10)).toThrow(RangeError);
  });

  it('streams each record format one at a time', () => {
    const p = setup(1);
    const w = p.createWriter('types');
    const r = p.createReader('types');
    const tuples = r.stream();
    const objects = r.stream({ format: 'object' });
    const raws = r.stream({ format: 'raw' });
    w.writeTuple(ROWS[0]);
    expect(tuples.nextSync()).toEqual(ROWS[0]);
    expect(objects.nextSync()).toEqual(Object.fromEntries(NAMES.map((n, i) => [n, ROWS[0][i]])));
    const raw = raws.nextSync() as Uint8Array;
    expect(raw.length).toBe(r.recordSize);
    expect(raw[0]).toBe(1);
    expect(() => r.stream({ format: 'columnar' as never })).toThrow(/batch format/);
  });
});
