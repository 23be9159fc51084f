import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

// range() decodes each chunk's run in one call: typed-array reads when the layout is naturally
// aligned, DataView reads when it is packed. Both layouts, runs spanning chunks, int64 modes and
// empty ranges must give the same records.

const LAYOUTS = {
  aligned: [
    { name: 'price', type: 'float64' },
    { name: 'qty', type: 'uint64' },
    { name: 'ts', type: 'uint64' },
  ],
  packed: [
    { name: 'price', type: 'float64' },
    { name: 'flag', type: 'uint8' },
    { name: 'qty', type: 'int64' },
    { name: 'ts', type: 'int64' },
  ],
} as const;

const RECORDS_PER_CHUNK = 4;

describe.each(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[])('range() over a %s layout', (kind) => {
  const t = useTempBase();
  const fields = LAYOUTS[kind];

  function rowOf(i: number, qty: number | bigint = i * 1000): unknown[] {
    return kind === 'aligned' ? [i + 0.5, qty, i * 10] : [i + 0.5, i % 256, qty, i * 10];
  }

  /** Ten records over three chunks (four records each); record i has ts i * 10. */
  function feed(name: string, qtyOf: (i: number) => number | bigint = (i) => i * 1000) {
    const p = t.platform();
    const recordSize = kind === 'aligned' ? 24 : 25;
    p.createFeed({ feedName: name, fields, tsCol: 'ts', chunkSizeBytes: RECORDS_PER_CHUNK * recordSize });
    const w = p.createWriter(name);
    for (let i = 0; i < 10; i++) w.writeTuple(rowOf(i, qtyOf(i)));
    return p;
  }

  it('returns the same records as tuples, objects, columns and raw bytes across chunks', () => {
    const r = feed('spans').createReader('spans');
    const want = [2, 3, 4, 5, 6, 7, 8].map((i) => rowOf(i));
    expect(r.range(20, 90)).toEqual(want);
    expect(r.range(20, 90, { format: 'object' })).toEqual(
      want.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]]))),
    );
    const columns = r.range(20, 90, { format: 'columnar' });
    fields.forEach((f, i) => {
      expect(Array.from(columns[f.name] as unknown as ArrayLike<number>)).toEqual(want.map((row) => row[i]));
    });
    const raw = r.range(20, 90, { format: 'raw' });
    expect(raw.byteLength).toBe(7 * r.recordSize);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const tsOffset = r.recordSize - 8;
    expect(want.map((_, k) => Number(view.getBigUint64(k * r.recordSize + tsOffset, true)))).toEqual(
      want.map((row) => row[row.length - 1]),
    );
  });

  it('returns empty results for empty ranges in every format', () => {
    const r = feed('empty').createReader('empty');
    for (const [start, end] of [
      [30, 30],
      [35, 40],
      [1000, 2000],
    ]) {
      expect(r.range(start, end)).toEqual([]);
      expect(r.range(start, end, { format: 'object' })).toEqual([]);
      expect(r.range(start, end, { format: 'raw' }).byteLength).toBe(0);
      const columns = r.range(start, end, { format: 'columnar' });
      expect(Object.keys(columns)).toEqual(fields.map((f) => f.name));
      for (const column of Object.values(columns)) expect(column.byteLength).toBe(0);
    }
  });

  it("refuses an unsafe int64 in 'number' mode naming the field, and returns it as a bigint", () => {
    const big = 2n ** 53n + 3n;
    const p = feed('unsafe', (i) => (i === 6 ? big : i));
    const r = p.createReader('unsafe');
    for (const format of ['tuple', 'object', 'columnar'] as const) {
      expect(() => r.range(0, 100, { format })).toThrow(RangeError);
      expect(() => r.range(0, 100, { format })).toThrow(/field "qty" holds 9007199254740995/);
    }
    expect(r.range(0, 60)).toHaveLength(6); // the records before it still read
    const b = p.createReader('unsafe', { int64: 'bigint' });
    expect(b.range(60, 70)).toEqual([kind === 'aligned' ? [6.5, big, 60n] : [6.5, 6, big, 60n]]);
    const columns = b.range(0, 100, { format: 'columnar' });
    expect(columns.qty).toEqual(
      kind === 'aligned'
        ? new BigUint64Array([0n, 1n, 2n, 3n, 4n, 5n, big, 7n, 8n, 9n])
        : new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, big, 7n, 8n, 9n]),
    );
  });
});
