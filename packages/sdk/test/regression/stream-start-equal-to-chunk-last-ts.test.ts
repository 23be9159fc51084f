import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// The seed's stream(start=t) skipped a chunk whose last timestamp equalled t.
describe('stream({ start }) where a chunk ends exactly at start', () => {
  const t = useTempBase();
  const FOUR_RECORDS = 96 / 1_048_576;

  it('yields that chunk’s last record first', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: FOUR_RECORDS }));
    const w = p.createWriter('trades');
    for (const ts of [7, 8, 9, 10, 11, 12]) w.writeValues(ts, 0, ts);
    const s = p.createReader('trades').stream({ start: 10 });
    expect([s.nextSync(), s.nextSync(), s.nextSync()].map((row) => row?.[2])).toEqual([10, 11, 12]);
  });

  it('yields every tied record when equal timestamps straddle the boundary', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('ties', { chunkSizeMb: FOUR_RECORDS }));
    const w = p.createWriter('ties');
    const stamps = [8, 9, 10, 10, 10, 10, 11, 12];
    stamps.forEach((ts, i) => {
      w.writeValues(i, 0, ts);
    });
    const r = p.createReader('ties');
    const s = r.stream({ start: 10 });
    const got = Array.from({ length: 6 }, () => s.nextSync()?.[0]);
    expect(got).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.range(10, 11).map((row) => row[0])).toEqual([2, 3, 4, 5]);
  });
});
