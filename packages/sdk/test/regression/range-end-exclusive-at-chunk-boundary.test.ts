import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// The seed's range() was end-inclusive while documented as [start, end).
describe('range(start, end) is half-open across a chunk boundary', () => {
  const t = useTempBase();

  it('excludes a record whose timestamp equals end, when that record starts the next chunk', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: 96 / 1_048_576 })); // exactly 4 records per chunk
    const w = p.createWriter('trades');
    for (let ts = 1; ts <= 8; ts++) w.writeValues(ts, 0, ts);
    expect(p.feedStatus('trades').chunks.map((c) => [c.firstTs, c.lastTs])).toEqual([
      [1, 4],
      [5, 8],
    ]);
    const r = p.createReader('trades');
    const tsOf = (rows: unknown[][]) => rows.map((row) => row[2]);
    expect(tsOf(r.range(1, 5))).toEqual([1, 2, 3, 4]);
    expect(tsOf(r.range(5, 9))).toEqual([5, 6, 7, 8]);
    expect(tsOf(r.range(4, 5))).toEqual([4]);
    expect(tsOf(r.range(3, 6))).toEqual([3, 4, 5]);
    expect(r.range(5, 5)).toEqual([]);
    expect(r.range(6, 2)).toEqual([]);
    expect(r.range(5, 5, { format: 'raw' })).toHaveLength(0);
    expect(r.range(5, 6, { format: 'columnar' }).timestamp_us).toEqual(new Float64Array([5]));
  });
});
