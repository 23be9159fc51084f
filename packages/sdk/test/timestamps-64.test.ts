// 64-bit timestamps end to end through the public reader API, on disk feeds and ring feeds:
// ns since the epoch (~1.7e18), values around 2^53, near 2^64 − 1 (uint64) and negative (int64).
// Doubles are 256 ns apart at 1.7e18, so every bound below is checked to the nanosecond.
import { describe, expect, it } from 'vitest';
import type { Platform, Reader, Writer } from '../src/index.js';
import { useRingBase } from './ring/ring-test-base.js';

const t = useRingBase();
const RECORD_SIZE = 24;
const MIB = 1_048_576;
/** Offsets from a base: ties, runs inside one double's rounding, and neighbours 1 ns apart. */
const OFFSETS = [
  0n,
  1n,
  2n,
  3n,
  100n,
  100n,
  100n,
  101n,
  255n,
  256n,
  257n,
  383n,
  384n,
  384n,
  385n,
  511n,
  512n,
  512n,
  513n,
  767n,
  768n,
  1000n,
  1001n,
  1024n,
  1025n,
  1027n,
  1100n,
];

type Kind = 'uint64' | 'int64';
type Unit = 'us' | 'ns';

function spec(name: string, persist: boolean, kind: Kind, tsUnit: Unit, records: number) {
  return {
    feedName: name,
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'size', type: 'float64' },
      { name: 'ts', type: kind },
    ],
    tsCol: 'ts',
    tsUnit,
    persist,
    // Disk: 4 records per chunk, so ties and rounding runs straddle chunk boundaries. Ring: room for all.
    chunkSizeMb: persist ? (4 * RECORD_SIZE) / MIB : (records * RECORD_SIZE) / MIB,
  };
}

function tsOf(rows: unknown[]): bigint[] {
  return (rows as bigint[][]).map((row) => row[2]);
}

/** What range(from, to) must return, computed with exact bigint comparisons. */
function expected(stamps: bigint[], from: bigint, to: bigint): bigint[] {
  return stamps.filter((ts) => ts >= from && ts < to);
}

describe.each([{ persist: true }, { persist: false }])(
  '64-bit timestamps, persist: $persist',
  ({ persist }) => {
    function feed(name: string, kind: Kind, tsUnit: Unit, stamps: bigint[]): Platform {
      const p = t.open();
      p.createFeed(spec(name, persist, kind, tsUnit, stamps.length + 64));
      const w = p.createWriter(name);
      stamps.forEach((ts, i) => {
        w.writeValues(i, 0, ts);
      });
      writers.set(p, w);
      return p;
    }
    const writers = new Map<Platform, Writer>();
    function done(p: Platform, name: string): void {
      p.close();
      t.open().deleteFeed(name);
    }

    /** Every lower bound q (each stamp ±1) as the start, the end, and a 1 ns window, exactly. */
    function checkExactRanges(r: Reader, stamps: bigint[]): void {
      const probes = [...new Set(stamps.flatMap((ts) => [ts - 1n, ts, ts + 1n]))];
      const first = stamps[0] - 10n;
      const end = stamps[stamps.length - 1] + 10n;
      for (const q of probes) {
        expect(tsOf(r.range(q, q + 1n)), `[${q}, ${q}+1)`).toEqual(expected(stamps, q, q + 1n));
        expect(tsOf(r.range(q, end)), `[${q}, end)`).toEqual(expected(stamps, q, end));
        expect(tsOf(r.range(first, q)), `[first, ${q})`).toEqual(expected(stamps, first, q));
      }
    }

    it('ranges over ns timestamps near 1.7e18 exactly to the nanosecond, ties included', () => {
      const base = 1_764_151_200_000_000_000n;
      const stamps = OFFSETS.map((o) => base + o);
      const p = feed('ns', 'uint64', 'ns', stamps);
      const r = p.createReader('ns', { int64: 'bigint' });
      checkExactRanges(r, stamps);
      // Open ends and safe-number bounds mean what they say.
      expect(tsOf(r.range(0, Number.POSITIVE_INFINITY))).toEqual(stamps);
      expect(tsOf(r.range(Number.NEGATIVE_INFINITY, base + 3n))).toEqual(stamps.slice(0, 3));
      expect(r.range(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      expect(r.range(base + 5n, base + 5n)).toEqual([]);
      expect(r.range(base + 6n, base + 5n)).toEqual([]);
      // A number reader finds the same records (raw bytes; decoding them as numbers would round).
      const numbers = p.createReader('ns');
      expect(numbers.range(base + 100n, base + 101n, { format: 'raw' }).length).toBe(3 * RECORD_SIZE);
      expect(() => numbers.range(base + 100n, base + 101n)).toThrow(/safe-integer range.*bigint/);
      done(p, 'ns');
    });

    it('refuses a number bound that is not a safe integer, naming the argument', () => {
      const p = feed('unsafe', 'uint64', 'ns', [1n]);
      const r = p.createReader('unsafe');
      try {
        expect(() => r.range(2 ** 60, 2 ** 61)).toThrow(RangeError);
        expect(() => r.range(2 ** 60, 2 ** 61)).toThrow(/start \d+ is not a safe integer/);
        expect(() => r.range(0, 1.5)).toThrow(/end 1.5 is not a safe integer/);
        expect(() => r.range(Number.NaN, 1)).toThrow(/start NaN/);
        expect(() => r.stream({ start: 2 ** 53 })).toThrow(/start 9007199254740992 is not a safe integer/);
        expect(() => r.range('1' as unknown as number, 2)).toThrow(TypeError);
      } finally {
        done(p, 'unsafe');
      }
    });

    it('handles µs timestamps on both sides of 2^53 with safe-number and bigint bounds', () => {
      const base = 2n ** 53n - 20n;
      const stamps = OFFSETS.slice(0, 12).map((o) => base + o * 3n);
      const p = feed('edge', 'uint64', 'us', stamps);
      const r = p.createReader('edge', { int64: 'bigint' });
      checkExactRanges(r, stamps);
      const safeMax = Number.MAX_SAFE_INTEGER; // 2^53 − 1
      expect(tsOf(r.range(safeMax, Number.POSITIVE_INFINITY))).toEqual(
        stamps.filter((ts) => ts >= 2n ** 53n - 1n),
      );
      expect(tsOf(r.range(0, safeMax))).toEqual(stamps.filter((ts) => ts < 2n ** 53n - 1n));
      expect(tsOf(r.range(2n ** 53n + 1n, 2n ** 53n + 2n))).toEqual(
        stamps.filter((ts) => ts === 2n ** 53n + 1n),
      );
      done(p, 'edge');
    });

    it("uses mode 'IF' indexes (which keep only safe keys) without losing exactness past 2^53", () => {
      if (!persist) return; // rings keep no index
      const base = 2n ** 53n - 40n;
      const stamps = Array.from({ length: 60 }, (_, i) => base + BigInt(i) + (i % 7 === 0 ? 0n : 1n));
      const p = t.open();
      p.createFeed({
        ...spec('indexed', true, 'uint64', 'us', 0),
        mode: 'IF',
        chunkSizeMb: (16 * RECORD_SIZE) / MIB,
      });
      const w = p.createWriter('indexed');
      stamps.forEach((ts, i) => {
        w.writeValues(i, 0, ts);
      });
      w.close(); // every chunk sealed: each has its persisted index
      checkExactRanges(p.createReader('indexed', { int64: 'bigint' }), stamps);
      p.close();
    });

    it('reaches 2^64 − 1 in a uint64 column', () => {
      const top = 2n ** 64n - 1n;
      const stamps = OFFSETS.map((o) => top - 1100n + o);
      expect(stamps[stamps.length - 1]).toBe(top);
      const p = feed('top', 'uint64', 'ns', stamps);
      const r = p.createReader('top', { int64: 'bigint' });
      checkExactRanges(r, stamps);
      expect(tsOf(r.range(top, top + 1n))).toEqual([top]);
      done(p, 'top');
    });

    it('orders negative int64 timestamps down to −2^63', () => {
      const min = -(2n ** 63n);
      const stamps = [
        ...OFFSETS.map((o) => min + o),
        ...OFFSETS.map((o) => -1_700_000_000_000_000_000n + o),
        -1n,
        0n,
        1n,
      ];
      const p = feed('neg', 'int64', 'ns', stamps);
      const r = p.createReader('neg', { int64: 'bigint' });
      checkExactRanges(r, stamps);
      done(p, 'neg');
    });

    it('replays stream({ start }) from an exact ns bound, then continues live', () => {
      const base = 1_764_151_200_000_000_000n;
      const stamps = OFFSETS.map((o) => base + o);
      const p = feed('replay', 'uint64', 'ns', stamps);
      const w = writers.get(p) as Writer;
      const r = p.createReader('replay', { int64: 'bigint' });
      for (const start of [base + 384n, base + 385n, base + 1027n, base + 1028n, base + 257n]) {
        const s = r.stream({ start });
        const seen: bigint[] = [];
        for (let row = s.tryNext(); row !== undefined; row = s.tryNext()) seen.push((row as bigint[])[2]);
        expect(seen, `start ${start}`).toEqual(stamps.filter((ts) => ts >= start));
        s.close();
      }
      const live = r.stream({ start: base + 1_000_000n }); // beyond every record: waits for it
      expect(live.tryNext()).toBeUndefined();
      w.writeValues(90, 0, base + 999_999n); // below start: skipped
      w.writeValues(91, 0, base + 1_000_000n);
      w.writeValues(92, 0, base + 1_000_001n);
      expect(live.tryNext()).toEqual([91, 0, base + 1_000_000n]);
      expect(live.tryNext()).toEqual([92, 0, base + 1_000_001n]);
      live.close();
      done(p, 'replay');
    });

    it('measures latest(seconds) in the feed tsUnit (ns), exactly beyond 2^53', () => {
      const base = 1_764_151_200_000_000_000n;
      const quarter = 250_000_000n; // 0.25 s in ns
      const stamps = Array.from({ length: 21 }, (_, i) => base + BigInt(i) * quarter + 1n);
      const p = feed('latest', 'uint64', 'ns', stamps);
      const r = p.createReader('latest', { int64: 'bigint' });
      // newest − 1 s = stamps[16] exactly: included (ts >= newest − seconds).
      expect(tsOf(r.latest(1))).toEqual(stamps.slice(16));
      expect(tsOf(r.latest(0))).toEqual(stamps.slice(20));
      expect(tsOf(r.latest(0.25))).toEqual(stamps.slice(19));
      expect(tsOf(r.latest(1e-9))).toEqual(stamps.slice(20)); // one nanosecond: nothing else is that close
      expect(tsOf(r.latest(60))).toEqual(stamps);
      expect(tsOf(r.latest(Number.POSITIVE_INFINITY))).toEqual(stamps);
      done(p, 'latest');
    });

    it('keeps latest(seconds) in µs for a feed.json without tsUnit semantics changed (default us)', () => {
      const stamps = Array.from({ length: 5 }, (_, i) => 1_764_151_200_000_000n + BigInt(i) * 400_000n);
      const p = feed('micros', 'uint64', 'us', stamps);
      expect(tsOf(p.createReader('micros', { int64: 'bigint' }).latest(1))).toEqual(stamps.slice(2));
      done(p, 'micros');
    });

    it('refuses a decrease hidden inside one double beyond 2^53, in every write call', () => {
      const base = 1_764_151_200_000_000_000n; // doubles are 256 apart here: base + 5 and base + 3 tie
      const p = feed('order', 'uint64', 'ns', [base + 5n]);
      const w = writers.get(p) as Writer;
      expect(() => w.writeValues(1, 0, base + 3n)).toThrow(
        /must be non-decreasing, got 1764151200000000003 after 1764151200000000005/,
      );
      expect(() => w.writeDict({ price: 1, size: 0, ts: base + 4n })).toThrow(/non-decreasing/);
      expect(() => w.writeBatch([[1, 0, base + 4n]])).toThrow(/non-decreasing.*batch row 0/);
      expect(() =>
        w.writeBatch([
          [1, 0, base + 7n],
          [1, 0, base + 6n],
        ]),
      ).toThrow(/batch row 1/);
      w.writeBatch([
        [1, 0, base + 5n],
        [1, 0, base + 9n],
      ]); // equal and increasing ties pass
      w.writeDict({ price: 1, size: 0, ts: base + 10n });
      expect(() => w.writeValues(1, 0, base + 8n)).toThrow(/non-decreasing/);
      w.close();
      // A writer resuming the feed knows the exact last timestamp too.
      const again = p.createWriter('order');
      if (persist) expect(() => again.writeValues(1, 0, base + 9n)).toThrow(/non-decreasing/);
      again.writeValues(1, 0, base + 10n);
      const r = p.createReader('order', { int64: 'bigint' });
      expect(tsOf(r.range(0, Number.POSITIVE_INFINITY))).toEqual([5n, 5n, 9n, 10n, 10n].map((o) => base + o));
      done(p, 'order');
    });

    it('hands ns records to readAvailable exactly', () => {
      const base = 1_764_151_200_000_000_000n;
      const p = feed('available', 'uint64', 'ns', [base]);
      const w = writers.get(p) as Writer;
      const r = p.createReader('available', { int64: 'bigint' });
      expect(r.readAvailable()).toEqual([]);
      const fresh = OFFSETS.map((o) => base + 2000n + o);
      for (const ts of fresh) w.writeValues(1, 2, ts);
      const got: bigint[] = [];
      for (let batch = r.readAvailable(); batch.length > 0; batch = r.readAvailable())
        got.push(...tsOf(batch));
      expect(got).toEqual(fresh);
      done(p, 'available');
    });
  },
);
