// The Reader/Writer contract, run against disk feeds (persist: true) and ring feeds (persist: false).
import { describe, expect, it } from 'vitest';
import { DeepwaterError, type Platform } from '../../src/index.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const t = useRingBase();

describe.each([{ persist: true }, { persist: false }])('feeds with persist: $persist', ({ persist }) => {
  function feed(name = 'trades', records = 1_000): Platform {
    const p = t.open();
    p.createFeed(tradeSpec(name, { persist, chunkSizeMb: mbFor(records) }));
    return p;
  }
  function cleanup(p: Platform, name = 'trades'): void {
    p.close();
    t.open().deleteFeed(name);
  }

  it('round-trips writeValues, writeTuple, writeDict and writeBatch in every format', () => {
    const p = feed();
    const w = p.createWriter('trades');
    const r = p.createReader('trades');
    w.writeValues(1.5, 10, 1_000);
    w.writeTuple([2.5, 20, 1_001]);
    w.writeDict({ price: 3.5, size: 30, timestamp_us: 1_002 });
    expect(w.writeBatch([[4.5, 40, 1_003], { price: 5.5, size: 50, timestamp_us: 1_004 }])).toBe(2);
    const tuples = [
      [1.5, 10, 1_000],
      [2.5, 20, 1_001],
      [3.5, 30, 1_002],
      [4.5, 40, 1_003],
      [5.5, 50, 1_004],
    ];
    expect(r.range(0, 2_000)).toEqual(tuples);
    expect(r.range(0, 2_000, { format: 'object' })[2]).toEqual({ price: 3.5, size: 30, timestamp_us: 1_002 });
    expect(r.range(0, 2_000, { format: 'dict' })).toHaveLength(5);
    const columns = r.range(0, 2_000, { format: 'columnar' });
    expect(Array.from(columns.price as Float64Array)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5]);
    expect(Array.from(columns.timestamp_us as Float64Array)).toEqual([1_000, 1_001, 1_002, 1_003, 1_004]);
    const raw = r.range(1_001, 1_003, { format: 'raw' });
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(raw.byteLength).toBe(2 * 24);
    expect(new DataView(raw.buffer, raw.byteOffset).getFloat64(0, true)).toBe(2.5);
    expect(r.fieldNames).toEqual(['price', 'size', 'timestamp_us']);
    expect(r.format).toBe('<ddQ');
    cleanup(p);
  });

  it('treats range as [start, end) and returns nothing when end <= start', () => {
    const p = feed();
    const w = p.createWriter('trades');
    for (let i = 0; i < 10; i++) w.writeValues(i, 1, 100 + i);
    const r = p.createReader('trades');
    expect(r.range(102, 105).map((row) => row[2])).toEqual([102, 103, 104]);
    expect(r.range(105, 105)).toEqual([]);
    expect(r.range(105, 100)).toEqual([]);
    expect(r.range(200, 300)).toEqual([]);
    cleanup(p);
  });

  it('computes latest(seconds) relative to the newest record', () => {
    const p = feed();
    const w = p.createWriter('trades');
    for (let i = 0; i < 10; i++) w.writeValues(i, 1, 5_000_000 + i * 1_000_000);
    const r = p.createReader('trades');
    expect(r.latest(2).map((row) => row[2])).toEqual([12_000_000, 13_000_000, 14_000_000]);
    expect(r.latest(0)).toEqual([[9, 1, 14_000_000]]);
    expect(r.latest().length).toBe(10);
    cleanup(p);
  });

  it('returns empty results from a feed that was never written, and readAvailable starts at the live head', () => {
    const p = feed();
    const r = p.createReader('trades');
    expect(r.range(0, 1e15)).toEqual([]);
    expect(r.latest(60)).toEqual([]);
    expect(r.readAvailable()).toEqual([]);
    const w = p.createWriter('trades');
    w.writeValues(1, 1, 10);
    w.writeValues(2, 1, 11);
    expect(r.readAvailable()).toEqual([
      [1, 1, 10],
      [2, 1, 11],
    ]);
    const late = p.createReader('trades');
    expect(late.readAvailable()).toEqual([]);
    w.writeValues(3, 1, 12);
    expect(late.readAvailable({ maxRecords: 5 })).toEqual([[3, 1, 12]]);
    expect(r.readAvailable({ format: 'columnar' }).size).toBeInstanceOf(Float64Array);
    cleanup(p);
  });

  it('streams live from the first record written after stream(), sync and async', async () => {
    const p = feed();
    const w = p.createWriter('trades');
    w.writeValues(0, 0, 1);
    const r = p.createReader('trades');
    const live = r.stream();
    w.writeValues(1, 1, 2);
    w.writeValues(2, 2, 3);
    const seen: unknown[] = [];
    for (const row of live) {
      seen.push(row);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      [1, 1, 2],
      [2, 2, 3],
    ]);
    const asyncStream = r.stream({ format: 'object' });
    setTimeout(() => w.writeValues(3, 3, 4), 5);
    for await (const row of asyncStream) {
      expect(row).toEqual({ price: 3, size: 3, timestamp_us: 4 });
      break;
    }
    cleanup(p);
  });

  it('replays from stream({ start }) and hands off to live with no gap or repeat', async () => {
    const p = feed();
    const w = p.createWriter('trades');
    for (let i = 0; i < 20; i++) w.writeValues(i, 0, 100 + i);
    const r = p.createReader('trades');
    const stream = r.stream({ start: 110 });
    const seen: number[] = [];
    for await (const row of stream) {
      seen.push(row[2] as number);
      if (row[2] === 119)
        w.writeBatch([
          [20, 0, 120],
          [21, 0, 121],
        ]);
      if (seen.length === 12) break;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => 110 + i));
    const raw = r.stream({ start: 118, format: 'raw' });
    const first = raw.nextSync() as Uint8Array;
    expect(first.byteLength).toBe(24);
    expect(new DataView(first.buffer, first.byteOffset).getFloat64(0, true)).toBe(18);
    raw.close();
    cleanup(p);
  });

  it('starts a stream on a feed with no records yet and yields the first record written', async () => {
    const p = feed();
    const r = p.createReader('trades');
    const stream = r.stream();
    setTimeout(() => {
      const w = p.createWriter('trades');
      w.writeValues(7, 7, 70);
      w.writeValues(8, 8, 80);
    }, 10);
    const seen: unknown[] = [];
    for await (const row of stream) {
      seen.push(row);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      [7, 7, 70],
      [8, 8, 80],
    ]);
    cleanup(p);
  });

  it('returns 64-bit integers as bigint on request and refuses unsafe numbers by name', () => {
    const p = t.open();
    p.createFeed({
      feedName: 'ids',
      persist,
      chunkSizeMb: mbFor(100, 16),
      fields: [
        { name: 'id', type: 'int64' },
        { name: 'ts', type: 'uint64' },
      ],
      tsCol: 'ts',
    });
    const w = p.createWriter('ids');
    w.writeValues(2n ** 60n, 1);
    w.writeValues(-5, 2);
    expect(p.createReader('ids', { int64: 'bigint' }).range(0, 10)).toEqual([
      [2n ** 60n, 1n],
      [-5n, 2n],
    ]);
    expect(() => p.createReader('ids').range(0, 2)).toThrow(RangeError);
    expect(() => p.createReader('ids').range(0, 2)).toThrow(/id/);
    expect(p.createReader('ids').range(2, 3)).toEqual([[-5, 2]]);
    cleanup(p, 'ids');
  });

  it('refuses bad values and decreasing timestamps, writing nothing', () => {
    const p = feed();
    const w = p.createWriter('trades');
    const r = p.createReader('trades');
    w.writeValues(1, 1, 100);
    expect(() => w.writeValues(1, 1)).toThrow();
    expect(() => w.writeValues('x', 1, 101)).toThrow(/price/);
    expect(() => w.writeValues(1, 1, Number.NaN)).toThrow(/timestamp_us/);
    expect(() => w.writeValues(1, 1, -1)).toThrow(/timestamp_us/);
    expect(() => w.writeValues(1, 1, 99)).toThrow(/non-decreasing/);
    expect(() => w.writeDict({ price: 1, size: 1 })).toThrow(/timestamp_us/);
    expect(() =>
      w.writeBatch([
        [1, 1, 101],
        [1, 1, 50],
      ]),
    ).toThrow(/row 1/);
    expect(() =>
      w.writeBatch([
        [1, 1, 101],
        [1, 'y', 102],
      ]),
    ).toThrow(/size/);
    expect(r.range(0, 1_000)).toEqual([[1, 1, 100]]);
    w.writeValues(2, 2, 100);
    expect(r.range(0, 1_000)).toHaveLength(2);
    cleanup(p);
  });

  it('allows one writer per feed, naming the holder, and throws on use after close', () => {
    const p = feed();
    const w = p.createWriter('trades');
    let error: unknown;
    try {
      t.open().createWriter('trades');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeepwaterError);
    expect((error as DeepwaterError).code).toBe('ERR_WRITER_LOCKED');
    expect((error as DeepwaterError).message).toContain('trades');
    expect(() => p.deleteFeed('trades')).toThrow(/writer/);
    w.close();
    expect(() => w.writeValues(1, 1, 1)).toThrow(/closed/);
    expect(() => w.close()).not.toThrow();
    const r = p.createReader('trades');
    r.close();
    expect(() => r.range(0, 1)).toThrow(/closed/);
    expect(() => r.close()).not.toThrow();
    cleanup(p);
  });

  it('continues after the writer is closed and reopened; an earlier reader sees the new records', () => {
    const p = feed();
    const first = p.createWriter('trades');
    for (let i = 0; i < 5; i++) first.writeValues(i, 0, 100 + i);
    const r = p.createReader('trades');
    const stream = r.stream();
    first.close();
    const second = p.createWriter('trades');
    expect(() => second.writeValues(0, 0, 103)).toThrow(/non-decreasing/);
    second.writeValues(5, 0, 105);
    expect(stream.nextSync()).toEqual([5, 0, 105]);
    expect(r.range(0, 1_000).map((row) => row[0])).toEqual([0, 1, 2, 3, 4, 5]);
    cleanup(p);
  });

  it('throws at the call for an unknown format and an unknown feed', () => {
    const p = feed();
    const r = p.createReader('trades');
    expect(() => r.range(0, 1, { format: 'tuples' as never })).toThrow(/unknown format/);
    expect(() => r.stream({ format: 'columnar' as never })).toThrow(/batch format/);
    expect(() => p.createReader('nope')).toThrow(DeepwaterError);
    expect(() => p.createWriter('nope')).toThrow(DeepwaterError);
    cleanup(p);
  });

  it('gives every reader and every stream its own cursor', () => {
    const p = feed();
    const w = p.createWriter('trades');
    const a = p.createReader('trades');
    const b = p.createReader('trades');
    expect(a).not.toBe(b);
    a.readAvailable();
    b.readAvailable();
    const s1 = a.stream();
    const s2 = a.stream();
    w.writeValues(1, 1, 1);
    w.writeValues(2, 2, 2);
    expect(a.readAvailable()).toHaveLength(2);
    expect(b.readAvailable({ maxRecords: 1 })).toEqual([[1, 1, 1]]);
    expect(s1.nextSync()).toEqual([1, 1, 1]);
    expect(s1.nextSync()).toEqual([2, 2, 2]);
    expect(s2.nextSync()).toEqual([1, 1, 1]);
    expect(a.stats.lostRecords).toBe(0);
    cleanup(p);
  });
});
