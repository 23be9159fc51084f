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

describe('range() results of several MiB (outputs in populated memory)', () => {
  const t = useTempBase();

  it('copies a raw run across chunks and decodes columns exactly, in both int64 modes', () => {
    const p = t.platform();
    p.createFeed({
      feedName: 'big',
      fields: LAYOUTS.aligned,
      tsCol: 'ts',
      chunkSizeBytes: 100_000 * 24,
    });
    const w = p.createWriter('big');
    const records = 250_000; // 6 MB over three chunks: above the 4 MiB populated-output threshold
    const rows: unknown[][] = [];
    for (let i = 0; i < records; i++) rows.push([i + 0.25, i * 3, i * 10]);
    w.writeBatch(rows);
    const r = p.createReader('big');
    expect(p.feedStatus('big').chunkCount).toBe(3);
    const raw = r.range(0, records * 10, { format: 'raw' });
    expect(raw.byteLength).toBe(records * 24);
    const words = new Float64Array(raw.buffer, raw.byteOffset, records * 3);
    const u64 = new BigUint64Array(raw.buffer, raw.byteOffset, records * 3);
    for (const i of [0, 99_999, 100_000, 199_999, 200_000, records - 1]) {
      expect([words[i * 3], u64[i * 3 + 1], u64[i * 3 + 2]]).toEqual([
        i + 0.25,
        BigInt(i * 3),
        BigInt(i * 10),
      ]);
    }
    const columns = r.range(50, records * 10 - 50, { format: 'columnar' });
    expect((columns.ts as Float64Array).length).toBe(records - 10);
    let mismatches = 0;
    const price = columns.price as Float64Array;
    const qty = columns.qty as Float64Array;
    const ts = columns.ts as Float64Array;
    for (let k = 0; k < ts.length; k++) {
      const i = k + 5;
      if (price[k] !== i + 0.25 || qty[k] !== i * 3 || ts[k] !== i * 10) mismatches++;
    }
    expect(mismatches).toBe(0);
    const bigColumns = p
      .createReader('big', { int64: 'bigint' })
      .range(0, records * 10, { format: 'columnar' });
    expect(bigColumns.ts).toBeInstanceOf(BigUint64Array);
    expect((bigColumns.ts as BigUint64Array)[records - 1]).toBe(BigInt((records - 1) * 10));
    expect((bigColumns.qty as BigUint64Array)[123_456]).toBe(123_456n * 3n);
  });

  it('builds the same columns and raw bytes with one thread or several (decodeThreads)', () => {
    const p = t.platform();
    p.createFeed({ feedName: 'wide', fields: LAYOUTS.aligned, tsCol: 'ts', chunkSizeMb: 64 });
    const w = p.createWriter('wide');
    // 40 MB in one chunk: above the sizes where population (32 MiB) and the gather (512 K
    // records) are split over threads; an unsafe qty in the last quarter, found by a later thread.
    const records = 1_700_000;
    const unsafeAt = 1_500_000;
    const rows: unknown[][] = [];
    for (let i = 0; i < records; i++) rows.push([i + 0.5, i === unsafeAt ? 2n ** 53n + 1n : i * 7, i]);
    w.writeBatch(rows);
    const results = [1, 4].map((decodeThreads) => {
      const r = p.createReader('wide', { decodeThreads });
      expect(() => r.range(0, records, { format: 'columnar' })).toThrow(/field "qty" holds 9007199254740993/);
      return {
        columns: r.range(0, unsafeAt, { format: 'columnar' }),
        raw: r.range(0, records, { format: 'raw' }),
      };
    });
    const [single, parallel] = results;
    const ts = parallel.columns.ts as Float64Array;
    const qty = parallel.columns.qty as Float64Array;
    const price = parallel.columns.price as Float64Array;
    expect(ts.length).toBe(unsafeAt);
    let mismatches = 0;
    for (let i = 0; i < unsafeAt; i++) {
      if (ts[i] !== i || qty[i] !== i * 7 || price[i] !== i + 0.5) mismatches++;
    }
    expect(mismatches).toBe(0);
    for (const name of ['price', 'qty', 'ts']) {
      expect(Buffer.compare(bytesOf(single.columns[name]), bytesOf(parallel.columns[name]))).toBe(0);
    }
    expect(parallel.raw.byteLength).toBe(records * 24);
    expect(Buffer.compare(Buffer.from(single.raw), Buffer.from(parallel.raw))).toBe(0);
  });

  it.each([0, 1.5, -1, '2'])('refuses decodeThreads %s naming the feed and the option', (decodeThreads) => {
    const p = t.platform();
    p.createFeed({ feedName: 'opts', fields: LAYOUTS.aligned, tsCol: 'ts' });
    expect(() => p.createReader('opts', { decodeThreads: decodeThreads as number })).toThrow(
      /Feed "opts": option decodeThreads must be an integer >= 1/,
    );
  });
});

function bytesOf(column: unknown): Buffer {
  const view = column as ArrayBufferView;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
