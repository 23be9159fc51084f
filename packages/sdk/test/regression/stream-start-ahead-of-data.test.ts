import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// Found by the model property test: stream({ start }) opened when no record >= start existed yet
// yielded the older records that arrived afterwards.
describe('stream({ start }) opened before any record reaches start', () => {
  const t = useTempBase();

  it('skips records older than start that arrive later, then yields everything from start on', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('ahead', { chunkSizeMb: 48 / 1_048_576 })); // 2 records per chunk
    const w = p.createWriter('ahead');
    w.writeValues(0, 0, 5);
    const s = p.createReader('ahead').stream({ start: 10 });
    expect(s.tryNext()).toBeUndefined();
    for (const ts of [6, 7, 8, 9, 10, 10, 11]) w.writeValues(ts, 0, ts);
    expect([s.tryNext(), s.tryNext(), s.tryNext(), s.tryNext()].map((row) => row?.[2])).toEqual([
      10,
      10,
      11,
      undefined,
    ]);
  });
});
