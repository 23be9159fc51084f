// writer.writeColumns / writer.writeRaw (columnar bulk writes) and reader.asOf, on disk feeds
// (chunks small enough that every call crosses rotations) and ring feeds, through the public API.
import { readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Platform, Writer } from '../src/index.js';
import { runRepair } from '../src/index.js';
import { tradeSpec, useRingBase } from './ring/ring-test-base.js';

const t = useRingBase();

/** Every field type, padding included, so the column scatter meets every size and offset. */
const ALL_FIELDS = [
  { name: 'u8', type: 'uint8' },
  { name: 'i8', type: 'int8' },
  { name: 'u16', type: 'uint16' },
  { name: 'i16', type: 'int16' },
  { name: 'c', type: 'char' },
  { name: '_', type: '_3' },
  { name: 'u32', type: 'uint32' },
  { name: 'i32', type: 'int32' },
  { name: 'f32', type: 'float32' },
  { name: 'u64', type: 'uint64' },
  { name: 'i64', type: 'int64' },
  { name: 'f64', type: 'float64' },
  { name: 'ts', type: 'uint64' },
];
/** 1 + 1 + 2 + 2 + 1 + 3 + 4 + 4 + 4 + 8 + 8 + 8 + 8 bytes. */
const ALL_SIZE = 54;
const RECORDS = 50;

function allSpec(name: string, persist: boolean, extra: Record<string, unknown> = {}) {
  return {
    feedName: name,
    fields: ALL_FIELDS,
    tsCol: 'ts',
    tsUnit: 'ns' as const,
    persist,
    // Disk: 7 records per chunk (every bulk call rotates several times). Ring: room for all.
    chunkSizeMb: ((persist ? 7 : 4 * RECORDS) * ALL_SIZE) / 1_048_576,
    ...extra,
  };
}

const BASE_NS = 1_764_151_200_000_000_000n;

/** Rows with extreme values of every type, timestamps beyond 2^53 with ties 1 ns apart. */
function rowsOf(count: number, from = 0): unknown[][] {
  const rows: unknown[][] = [];
  for (let k = from; k < from + count; k++) {
    rows.push([
      k % 256,
      (k % 256) - 128,
      65535 - k,
      -32768 + k,
      String.fromCharCode(200 + (k % 50)),
      4294967295 - k,
      -2147483648 + k,
      k * 0.5,
      18446744073709551615n - BigInt(k),
      -9223372036854775808n + BigInt(k),
      k % 7 === 0 ? Number.NaN : k / 3,
      BASE_NS + BigInt(Math.floor(k / 3)),
    ]);
  }
  return rows;
}

function columnsOf(rows: unknown[][]): Record<string, ArrayBufferView> {
  const n = rows.length;
  const col = <T>(i: number, make: (n: number) => T & { [k: number]: unknown }) => {
    const out = make(n);
    rows.forEach((row, k) => {
      out[k] = i === 4 ? (row[i] as string).charCodeAt(0) : row[i];
    });
    return out as unknown as ArrayBufferView;
  };
  return {
    u8: col(0, (n) => new Uint8Array(n)),
    i8: col(1, (n) => new Int8Array(n)),
    u16: col(2, (n) => new Uint16Array(n)),
    i16: col(3, (n) => new Int16Array(n)),
    c: col(4, (n) => new Uint8Array(n)),
    u32: col(5, (n) => new Uint32Array(n)),
    i32: col(6, (n) => new Int32Array(n)),
    f32: col(7, (n) => new Float32Array(n)),
    u64: col(8, (n) => new BigUint64Array(n)),
    i64: col(9, (n) => new BigInt64Array(n)),
    f64: col(10, (n) => new Float64Array(n)),
    ts: col(11, (n) => new BigUint64Array(n)),
  };
}

function rawAll(p: Platform, name: string): Uint8Array {
  const r = p.createReader(name);
  try {
    return new Uint8Array(r.range(0, Number.POSITIVE_INFINITY, { format: 'raw' }));
  } finally {
    r.close();
  }
}

describe.each([{ persist: true }, { persist: false }])('bulk writes, persist: $persist', ({ persist }) => {
  function withFeeds(names: string[], body: (p: Platform, writers: Writer[]) => void): void {
    const p = t.open();
    const writers: Writer[] = [];
    try {
      for (const name of names) {
        p.createFeed(allSpec(name, persist));
        writers.push(p.createWriter(name));
      }
      body(p, writers);
    } finally {
      for (const w of writers) w.close();
      for (const name of names) p.deleteFeed(name);
    }
  }

  it('writeColumns and writeRaw store exactly the bytes writeBatch stores, across rotations', () => {
    withFeeds(['batch', 'cols', 'raw'], (p, [batch, cols, raw]) => {
      const rows = rowsOf(RECORDS);
      // In uneven calls: a call may start at a chunk's start, middle or end.
      for (const [from, to] of [
        [0, 3],
        [3, 4],
        [4, 19],
        [19, RECORDS],
      ]) {
        expect(batch.writeBatch(rows.slice(from, to))).toBe(to - from);
        expect(cols.writeColumns(columnsOf(rows.slice(from, to)))).toBe(to - from);
      }
      const expected = rawAll(p, 'batch');
      expect(expected.length).toBe(RECORDS * ALL_SIZE);
      expect(rawAll(p, 'cols')).toEqual(expected);
      expect(raw.writeRaw(expected.subarray(0, 10 * ALL_SIZE))).toBe(10);
      expect(raw.writeRaw(expected.subarray(10 * ALL_SIZE))).toBe(RECORDS - 10);
      expect(rawAll(p, 'raw')).toEqual(expected);
      // Decoded, the values are the rows written (NaN and 64-bit extremes included).
      const back = p.createReader('cols', { int64: 'bigint' }).range(0, Number.POSITIVE_INFINITY);
      expect(back).toEqual(rows.map((row) => row.map((v, i) => (i === 7 ? Math.fround(v as number) : v))));
      expect(cols.writeColumns(columnsOf([]))).toBe(0);
      expect(raw.writeRaw(new Uint8Array(0))).toBe(0);
    });
  });

  it('takes what a columnar read returns (64-bit integers as Float64Array of safe integers)', () => {
    const p = t.open();
    const spec = {
      feedName: 'trades',
      fields: [
        { name: 'price', type: 'float64' },
        { name: 'size', type: 'uint64' },
        { name: 'ts', type: 'int64' },
      ],
      tsCol: 'ts',
      persist,
    };
    p.createFeed(spec);
    p.createFeed({ ...spec, feedName: 'copy' });
    const w = p.createWriter('trades');
    const c = p.createWriter('copy');
    try {
      w.writeBatch([
        [1.5, 3, -5],
        [2.5, 2 ** 40, -5],
        [3.5, 0, 2 ** 50],
      ]);
      const columns = p.createReader('trades').range(-100, Number.POSITIVE_INFINITY, { format: 'columnar' });
      expect(columns.ts).toBeInstanceOf(Float64Array);
      expect(c.writeColumns(columns)).toBe(3);
      expect(rawAll(p, 'copy')).toEqual(rawAll(p, 'trades'));
      const unsafe = { ...columns, size: new Float64Array([1, 2 ** 53, 3]) };
      expect(() => c.writeColumns(unsafe)).toThrow(
        /"size" \(uint64\).*safe integers, got 9007199254740992 at record 1/,
      );
      const negative = { ...columns, size: new Float64Array([1, -1, 3]) };
      expect(() => c.writeColumns(negative)).toThrow(/non-negative safe integers, got -1/);
    } finally {
      w.close();
      c.close();
      p.deleteFeed('trades');
      p.deleteFeed('copy');
    }
  });

  it('refuses bad input with a message naming feed, field and value, and writes nothing', () => {
    withFeeds(['bad'], (p, [w]) => {
      const first = rowsOf(5);
      w.writeColumns(columnsOf(first));
      const before = rawAll(p, 'bad');
      const good = columnsOf(rowsOf(4, 20));
      const cases: [unknown, RegExp, ErrorConstructor][] = [
        [null, /Feed "bad": writeColumns expects an object of typed arrays.*got null/, TypeError],
        [{ ...good, i32: undefined }, /missing the column of field "i32"/, TypeError],
        [{ ...good, extra: new Uint8Array(4) }, /column "extra" that is not a field/, TypeError],
        [
          { ...good, u16: new Int16Array(4) },
          /column "u16" \(uint16\) must be a Uint16Array, got Int16Array/,
          TypeError,
        ],
        [
          { ...good, u64: [1, 2, 3, 4] },
          /column "u64" \(uint64\) must be a BigUint64Array.*got Array/,
          TypeError,
        ],
        [{ ...good, f64: new Float64Array(3) }, /equal lengths: "f64" has 3, "u8" has 4/, RangeError],
        [
          { ...good, ts: new BigUint64Array([BASE_NS + 9n, BASE_NS + 10n, BASE_NS + 8n, BASE_NS + 11n]) },
          /field "ts" must be non-decreasing, got 1764151200000000008 after 1764151200000000010 \(record 2\)/,
          RangeError,
        ],
        // One nanosecond before the last record written: a tie once rounded to a double.
        [
          { ...good, ts: new BigUint64Array(4).fill(BASE_NS) },
          /got 1764151200000000000 after 1764151200000000001 \(record 0\)/,
          RangeError,
        ],
      ];
      for (const [input, message, kind] of cases) {
        let caught: unknown;
        try {
          w.writeColumns(input as Record<string, ArrayBufferView>);
        } catch (error) {
          caught = error;
        }
        expect(caught, String(message)).toBeInstanceOf(kind);
        expect((caught as Error).message).toMatch(message);
        expect((caught as Error).message).toMatch(/nothing was written$/);
        expect((caught as { feed?: string }).feed).toBe('bad');
      }
      expect(() => w.writeRaw(before.subarray(0, ALL_SIZE + 1))).toThrow(
        /Feed "bad": writeRaw needs whole 54-byte records, got 55 bytes/,
      );
      expect(() => w.writeRaw([1, 2] as unknown as Uint8Array)).toThrow(
        /writeRaw expects a Uint8Array.*got Array/,
      );
      // Records that are in order inside but go back in time against the last one written.
      expect(() => w.writeRaw(before)).toThrow(/field "ts" must be non-decreasing.*\(record 0\)/);
      const unordered = new Uint8Array(2 * ALL_SIZE);
      unordered.set(before.subarray(4 * ALL_SIZE, 5 * ALL_SIZE), 0);
      unordered.set(before.subarray(0, ALL_SIZE), ALL_SIZE);
      expect(() => w.writeRaw(unordered)).toThrow(/must be non-decreasing.*\(record 1\)/);
      expect(rawAll(p, 'bad')).toEqual(before);
      // And the writer still works: an equal timestamp is allowed.
      expect(w.writeColumns(columnsOf(rowsOf(2, 14)))).toBe(2);
    });
  });

  it('rangeBatches reads a range in bounded batches that add up to range(), with an int64 override', () => {
    withFeeds(['batches'], (p, [w]) => {
      w.writeColumns(columnsOf(rowsOf(RECORDS)));
      const r = p.createReader('batches');
      expect(r.spec.tsUnit).toBe('ns');
      expect(r.spec.fields.map((f) => f.name)).toContain('f64');
      const from = BASE_NS + 2n;
      const to = BASE_NS + 15n;
      const whole = p.createReader('batches', { int64: 'bigint' }).range(from, to, { format: 'raw' });
      for (const batchSize of [1, 4, 7, 1000]) {
        const parts = [...r.rangeBatches(from, to, { format: 'raw', batchSize })];
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(batchSize * ALL_SIZE);
        expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
      }
      const columns = [...r.rangeBatches(from, to, { format: 'columnar', batchSize: 5, int64: 'bigint' })];
      expect(columns[0].ts).toBeInstanceOf(BigUint64Array);
      expect(columns.reduce((n, c) => n + (c.ts as BigUint64Array).length, 0)).toBe(whole.length / ALL_SIZE);
      expect([...r.rangeBatches(to, from)]).toEqual([]);
      expect(() => r.rangeBatches(0, 1, { batchSize: 0 })).toThrow(
        /batchSize must be an integer >= 1, got 0/,
      );
      r.close();
    });
  });

  it('asOf returns the last record at or before a timestamp, exactly beyond 2^53', () => {
    withFeeds(['asof'], (p, [w]) => {
      const r = p.createReader('asof', { int64: 'bigint' });
      expect(r.asOf(BASE_NS)).toBeUndefined(); // empty feed
      const rows = rowsOf(RECORDS); // ts: BASE + floor(k / 3): three records per nanosecond
      w.writeColumns(columnsOf(rows));
      const tsAt = (k: number) => BASE_NS + BigInt(Math.floor(k / 3));
      expect(r.asOf(BASE_NS - 1n)).toBeUndefined();
      expect(r.asOf(0)).toBeUndefined();
      expect(r.asOf(Number.NEGATIVE_INFINITY)).toBeUndefined();
      for (let q = 0n; q <= 17n; q++) {
        const found = r.asOf(BASE_NS + q) as unknown[];
        // The last of the three records with that timestamp (the last one of all past the end).
        const k = Math.min(Number(q) * 3 + 2, RECORDS - 1);
        expect(found, `asOf(BASE + ${q})`).toEqual(r.range(tsAt(k), tsAt(k) + 1n).at(-1));
        expect(found[0]).toBe(k % 256);
      }
      expect((r.asOf(Number.POSITIVE_INFINITY) as unknown[])[0]).toBe((RECORDS - 1) % 256);
      const object = r.asOf(BASE_NS + 2n, { format: 'object' }) as Record<string, unknown>;
      expect(object.u8).toBe(8);
      const raw = r.asOf(BASE_NS + 2n, { format: 'raw' }) as Uint8Array;
      expect(raw).toEqual(rawAll(p, 'asof').subarray(8 * ALL_SIZE, 9 * ALL_SIZE));
      expect(() => r.asOf(2 ** 60)).toThrow(/ts \d+ is not a safe integer/);
      expect(() => r.asOf(BASE_NS, { format: 'columnar' } as never)).toThrow(/batch format/);
      r.close();
    });
  });
});

describe('bulk writes around a ring', () => {
  it("writeColumns and writeRaw wrap past the ring's last slot and store what writeBatch stores", () => {
    const p = t.open();
    const names = ['batch', 'cols', 'raw'];
    // Room for ~16 records: 150 records wrap it several times, so calls end in its very last slot.
    for (const name of names)
      p.createFeed(allSpec(name, false, { chunkSizeMb: (16 * ALL_SIZE) / 1_048_576 }));
    const [batch, cols, raw] = names.map((name) => p.createWriter(name));
    try {
      const rows = rowsOf(3 * RECORDS);
      const rawRows = (from: number, to: number) => {
        const w = p.createWriter('staging');
        try {
          w.writeBatch(rows.slice(from, to));
        } finally {
          w.close();
        }
        const bytes = rawAll(p, 'staging');
        p.deleteFeed('staging');
        p.createFeed(allSpec('staging', true));
        return bytes;
      };
      p.createFeed(allSpec('staging', true));
      let from = 0;
      for (const size of [5, 11, 16, 1, 9, 15, 13, 30, 17, 33]) {
        const to = from + size;
        expect(batch.writeBatch(rows.slice(from, to))).toBe(size);
        expect(cols.writeColumns(columnsOf(rows.slice(from, to)))).toBe(size);
        expect(raw.writeRaw(rawRows(from, to))).toBe(size);
        from = to;
      }
      expect(from).toBe(3 * RECORDS);
      const expected = rawAll(p, 'batch');
      expect(expected.length).toBeGreaterThan(0);
      expect(rawAll(p, 'cols')).toEqual(expected);
      expect(rawAll(p, 'raw')).toEqual(expected);
    } finally {
      for (const w of [batch, cols, raw]) w.close();
      for (const name of [...names, 'staging']) p.deleteFeed(name);
    }
  });
});

describe('a bulk write into a chunk file something truncated', () => {
  // Lesson: writeRaw/writeColumns populate their pages first, and a file shrunk under the mapping
  // fails that populate with EFAULT. The writer then closed normally, read the chunk's last record
  // in close() and died of SIGBUS. It now closes without touching the records and says so.
  it('is ERR_CORRUPT naming the file, never a signal; repair makes the feed writable again', () => {
    const p = t.open();
    const name = `shrunk${process.pid}`;
    p.createFeed(tradeSpec(name, { persist: true, chunkSizeMb: 1 }));
    const trades = (n: number, from: number) => ({
      price: new Float64Array(n).fill(1.5),
      size: new Float64Array(n).fill(2),
      timestamp_us: BigUint64Array.from({ length: n }, (_, i) => BigInt(from + i)),
    });
    const w = p.createWriter(name);
    w.writeColumns(trades(1, 1));
    const chunkDir = join(t.base(), 'feeds', name);
    const chunk = readdirSync(chunkDir).find((f) => f.startsWith('chunk-')) as string;
    truncateSync(join(chunkDir, chunk), 4096); // the header page only: the record is gone
    expect(() => w.writeColumns(trades(20_000, 2))).toThrow(
      expect.objectContaining({ code: 'ERR_CORRUPT', message: expect.stringContaining(chunk) }),
    );
    expect(() => w.writeValues(1, 1, 30_000)).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
    const report = runRepair(t.base(), { feeds: [name] });
    expect(JSON.stringify(report)).toContain('truncated-chunk');
    const again = p.createWriter(name);
    again.writeColumns(trades(3, 40_000));
    again.close();
    expect(rawAll(p, name).length).toBe(3 * 24);
    p.deleteFeed(name);
  });
});

describe('a large writeBatch into a chunk file something truncated', () => {
  // A batch that fits in the chunk is encoded in one pass; from 256 KiB its pages are populated
  // first, as the bulk paths do, so a shrunk file is an error, not SIGBUS on the first store.
  it('is ERR_CORRUPT naming the file, never a signal', () => {
    const p = t.open();
    const name = `shrunkBatch${process.pid}`;
    p.createFeed(tradeSpec(name, { persist: true, chunkSizeMb: 1 }));
    const w = p.createWriter(name);
    w.writeValues(1.5, 2, 1);
    const chunkDir = join(t.base(), 'feeds', name);
    const chunk = readdirSync(chunkDir).find((f) => f.startsWith('chunk-')) as string;
    truncateSync(join(chunkDir, chunk), 4096);
    const rows = Array.from({ length: 20_000 }, (_, i) => [1.5, 2, 2 + i]); // 480 KB, fits the chunk
    expect(() => w.writeBatch(rows)).toThrow(
      expect.objectContaining({ code: 'ERR_CORRUPT', message: expect.stringContaining(chunk) }),
    );
    expect(w.closed).toBe(true);
    p.deleteFeed(name);
  });
});

describe('writeRaw into a chunk with room for the whole call (copy and order check in one pass)', () => {
  // The disk writer copies such a call and checks its timestamps in the same pass, so a decrease
  // is found after part of the call was copied past the published records. Refused all the same:
  // nothing published, none of its bytes left in the file, and the writer goes on as before.
  it('refuses a decrease anywhere in the call exactly as before, leaving no byte of it in the chunk', () => {
    const p = t.open();
    const name = `fused${process.pid}`;
    p.createFeed(tradeSpec(name, { persist: true, chunkSizeMb: 1 }));
    const records = (n: number, from: number, stamp = (i: number) => BigInt(from + i)) => {
      const bytes = new Uint8Array(n * 24);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < n; i++) {
        view.setFloat64(i * 24, 100 + i, true);
        view.setFloat64(i * 24 + 8, 1, true);
        view.setBigUint64(i * 24 + 16, stamp(i), true);
      }
      return bytes;
    };
    const w = p.createWriter(name);
    try {
      expect(w.writeRaw(records(100, 1))).toBe(100);
      const before = rawAll(p, name);
      const reader = p.createReader(name);
      // 20 000 records (480 KB, populated first) whose record 15 000 goes back by one.
      const bad = records(20_000, 101, (i) => (i === 15_000 ? 15_000n : BigInt(101 + i)));
      expect(() => w.writeRaw(bad)).toThrow(
        expect.objectContaining({
          code: 'ERR_OUT_OF_RANGE',
          field: 'timestamp_us',
          row: 15_000,
          message: expect.stringMatching(/got 15000 after 15100 \(record 15000\).*nothing was written$/),
        }),
      );
      // A 2-record call, the smallest one checked in the copy.
      const pair = records(2, 200, (i) => (i === 0 ? 300n : 299n));
      expect(() => w.writeRaw(pair)).toThrow(/got 299 after 300 \(record 1\)/);
      expect(reader.range(0, Number.POSITIVE_INFINITY, { format: 'raw' })).toEqual(before);
      expect(rawAll(p, name)).toEqual(before);
      // The chunk past its 100 published records: zeros, as before either call.
      const chunkDir = join(t.base(), 'feeds', name);
      const chunk = readdirSync(chunkDir).find((f) => f.startsWith('chunk-')) as string;
      const file = readFileSync(join(chunkDir, chunk));
      expect(file.subarray(4096 + 100 * 24).every((b) => b === 0)).toBe(true);
      // The writer goes on: the same timestamp as the last one published is allowed.
      expect(w.writeRaw(records(3, 100))).toBe(3);
      const after = rawAll(p, name);
      expect(after.subarray(0, before.length)).toEqual(before);
      expect(after.subarray(before.length)).toEqual(records(3, 100));
      reader.close();
    } finally {
      w.close();
      p.deleteFeed(name);
    }
  });
});
