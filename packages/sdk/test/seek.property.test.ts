import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

// Time seeks guess a position from a chunk's first and last timestamps before bisecting. The
// guess must never change an answer: chunks of hundreds of records (where guessing kicks in),
// timestamps that are uniform, bursty (long runs of one value), exponential or jumping, and
// range() (tuples and objects) and stream({ start }) compared against a plain scan of what was written.
describe('time seeks over large chunks of skewed timestamps', () => {
  const t = useTempBase();

  const gaps = fc.oneof(
    fc.array(fc.constant(7), { minLength: 300, maxLength: 1500 }),
    fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 50 })), {
      minLength: 300,
      maxLength: 1500,
    }),
    fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 300, maxLength: 1500 })
      .map((small) => small.map((gap, i) => (i % 97 === 0 ? 1_000_000 : gap))),
    fc
      .integer({ min: 300, max: 1200 })
      .map((n) => Array.from({ length: n }, (_, i) => Math.floor(1.01 ** i))),
  );

  it('range() and stream({ start }) agree with a scan for any query', () => {
    let run = 0;
    fc.assert(
      fc.property(
        gaps,
        fc.integer({ min: 100, max: 400 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1.05, noNaN: true }), fc.integer({ min: 0, max: 5000 })), {
          minLength: 20,
          maxLength: 40,
        }),
        (gapList, perChunk, queries) => {
          const p = t.platform();
          const name = `skew-${run++}`;
          p.createFeed(tradeSpec(name, { chunkSizeBytes: perChunk * 24 }));
          const w = p.createWriter(name);
          const stamps: number[] = [];
          let ts = 1_000;
          for (const gap of gapList) {
            ts += gap;
            stamps.push(ts);
          }
          w.writeBatch(stamps.map((stamp, i) => [i, 0, stamp]));
          const r = p.createReader(name);
          const span = stamps[stamps.length - 1] - stamps[0];
          for (const [fraction, width] of queries) {
            const start = Math.floor(stamps[0] - 5 + fraction * (span + 10));
            const end = start + width;
            const want = stamps.flatMap((stamp, i) => (stamp >= start && stamp < end ? [i] : []));
            const rows = r.range(start, end);
            expect(rows.map((row) => row[0])).toEqual(want);
            // Objects: the same records, across the same chunk boundaries.
            expect(r.range(start, end, { format: 'object' })).toEqual(
              rows.map(([price, size, timestamp_us]) => ({ price, size, timestamp_us })),
            );
            const firstAtOrAfter = stamps.findIndex((stamp) => stamp >= start);
            const s = r.stream({ start });
            expect(s.tryNext()?.[0]).toBe(firstAtOrAfter === -1 ? undefined : firstAtOrAfter);
            s.close();
          }
          r.close();
          w.close();
          p.deleteFeed(name);
        },
      ),
      { numRuns: 40 },
    );
  });
});
