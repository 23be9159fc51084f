import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// The seed's live reader drained to a write position it had read, then saw a newer chunk and moved
// on without re-reading the old chunk's final count: records appended just before rotation vanished.
describe('records appended just before a rotation', () => {
  const t = useTempBase();
  const FOUR_RECORDS = 96 / 1_048_576;

  it('are read by a live stream that was drained when they arrived', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: FOUR_RECORDS }));
    const w = p.createWriter('trades');
    const s = p.createReader('trades').stream();
    let seq = 0;
    const got: unknown[] = [];
    for (let round = 0; round < 30; round++) {
      // The reader is drained here; then the writer fills the chunk AND rotates before it looks again.
      expect(s.tryNext()).toBeUndefined();
      const n = 1 + (round % 6);
      for (let i = 0; i < n; i++, seq++) w.writeValues(seq, 0, seq);
      for (let i = 0; i < n; i++) got.push(s.tryNext()?.[0]);
    }
    expect(got).toEqual(Array.from({ length: seq }, (_, i) => i));
    expect(s.tryNext()).toBeUndefined();
  });

  it('are read by readAvailable, which advances chunk by chunk', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('polled', { chunkSizeMb: FOUR_RECORDS }));
    const w = p.createWriter('polled');
    const r = p.createReader('polled');
    expect(r.readAvailable()).toEqual([]);
    w.writeValues(0, 0, 0);
    w.writeValues(1, 0, 1);
    expect(r.readAvailable().map((row) => row[0])).toEqual([0, 1]);
    w.writeBatch(Array.from({ length: 9 }, (_, i) => [i + 2, 0, i + 2])); // finishes chunk 1, fills 2, starts 3
    expect(r.readAvailable().map((row) => row[0])).toEqual([2, 3]);
    expect(r.readAvailable().map((row) => row[0])).toEqual([4, 5, 6, 7]);
    expect(r.readAvailable({ maxRecords: 2 }).map((row) => row[0])).toEqual([8, 9]);
    expect(r.readAvailable().map((row) => row[0])).toEqual([10]);
    expect(r.readAvailable()).toEqual([]);
  });
});
