import { describe, expect, it } from 'vitest';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

// The disk reader once yielded records older than `start` that arrived after stream({ start }) was
// opened with no record >= start yet; the ring reader must not do the same.
describe('ring stream({ start }) opened before any record reaches start', () => {
  const t = useRingBase();
  const tsOf = (row: unknown[] | undefined) => row?.[2];

  it('skips older records that arrive later, then yields everything from start on', () => {
    const p = t.open();
    p.createFeed(tradeSpec('ahead', { persist: false, chunkSizeMb: mbFor(64) }));
    const w = p.createWriter('ahead');
    w.writeValues(0, 0, 5);
    const s = p.createReader('ahead').stream({ start: 10 });
    expect(s.tryNext()).toBeUndefined();
    for (const ts of [6, 7, 8, 9, 10, 10, 11]) w.writeValues(ts, 0, ts);
    expect([s.tryNext(), s.tryNext(), s.tryNext(), s.tryNext()].map(tsOf)).toEqual([10, 10, 11, undefined]);
    p.close();
    t.open().deleteFeed('ahead');
  });

  it('does the same when the ring did not exist yet and many old records precede start', () => {
    const p = t.open();
    p.createFeed(tradeSpec('later', { persist: false, chunkSizeMb: mbFor(2048) }));
    const s = p.createReader('later').stream({ start: 1_000 });
    expect(s.tryNext()).toBeUndefined();
    const w = p.createWriter('later');
    // More than one internal decode batch of records below start.
    for (let ts = 0; ts < 1_003; ts++) w.writeValues(ts, 0, ts);
    expect([s.tryNext(), s.tryNext(), s.tryNext(), s.tryNext()].map(tsOf)).toEqual([
      1_000,
      1_001,
      1_002,
      undefined,
    ]);
    w.writeValues(1, 0, 1_003);
    expect(tsOf(s.tryNext())).toBe(1_003);
    p.close();
    t.open().deleteFeed('later');
  });

  it('yields a late-arriving record equal to start from an async iterator', async () => {
    const p = t.open();
    p.createFeed(tradeSpec('async', { persist: false, chunkSizeMb: mbFor(64) }));
    const w = p.createWriter('async');
    w.writeValues(0, 0, 1);
    const s = p.createReader('async').stream({ start: 50 });
    for (const ts of [2, 3, 50, 51]) w.writeValues(ts, 0, ts);
    const seen: unknown[] = [];
    for await (const row of s) {
      seen.push(tsOf(row));
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([50, 51]);
    p.close();
    t.open().deleteFeed('async');
  });
});
