import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// A reader opened on a feed with no chunks yet must treat it as empty, then see data arrive.
describe('a reader opened before the feed has any chunk', () => {
  const t = useTempBase();

  it('returns empty results, then streams from the first record ever written', async () => {
    const p = t.platform();
    p.createFeed(tradeSpec('fresh', { chunkSizeMb: 96 / 1_048_576 }));
    const r = p.createReader('fresh');
    expect(r.range(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(r.latest()).toEqual([]);
    expect(r.latest(60, { format: 'raw' })).toHaveLength(0);
    expect(r.latest(60, { format: 'columnar' }).price).toHaveLength(0);
    expect(r.readAvailable()).toEqual([]);
    const live = r.stream();
    const replay = r.stream({ start: 0 });
    expect(live.tryNext()).toBeUndefined();
    expect(p.feedStatus('fresh')).toMatchObject({ records: 0, chunkCount: 0, firstTs: null, lastTs: null });

    const w = p.createWriter('fresh');
    const next = live.next();
    for (let i = 0; i < 6; i++) w.writeValues(i, 0, 100 + i);
    expect(await next).toEqual([0, 0, 100]);
    expect(replay.nextSync()).toEqual([0, 0, 100]);
    expect(r.readAvailable().map((row) => row[0])).toEqual([0, 1, 2, 3]);
    expect(r.readAvailable().map((row) => row[0])).toEqual([4, 5]);
    expect(r.range(0, 1e9)).toHaveLength(6);
  });
});
