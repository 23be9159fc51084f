import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// feedStatus() keeps the live chunk mapped between calls (mapping it per call was the dashboard's
// main cost): the kept mapping must never make it report a stale chunk.
describe('feedStatus() of a disk feed polled repeatedly', () => {
  const t = useTempBase();
  const spec = tradeSpec('polled', { chunkSizeMb: 96 / 1_048_576 }); // 4 records per chunk

  it('follows the writer across rotations', () => {
    const p = t.platform();
    p.createFeed(spec);
    const w = p.createWriter('polled');
    for (let ts = 1; ts <= 13; ts++) {
      w.writeValues(ts, 1, ts);
      expect(p.feedStatus('polled')).toMatchObject({ records: ts, firstTs: 1, lastTs: ts });
    }
    expect(p.feedStatus('polled').chunks.at(-1)).toMatchObject({ id: 4, records: 1, firstTs: 13 });
  });

  it('sees a feed deleted and re-created by another platform, not the old files', () => {
    const poller = t.open();
    const other = t.open();
    other.createFeed(spec);
    const first = other.createWriter('polled');
    for (let ts = 1; ts <= 3; ts++) first.writeValues(ts, 1, ts);
    expect(poller.feedStatus('polled')).toMatchObject({ records: 3, lastTs: 3 });
    first.close();
    other.deleteFeed('polled');
    other.createFeed(spec);
    const second = other.createWriter('polled');
    second.writeValues(1, 1, 100);
    expect(poller.feedStatus('polled')).toMatchObject({ records: 1, firstTs: 100, lastTs: 100 });
    second.writeValues(1, 1, 101);
    expect(poller.feedStatus('polled')).toMatchObject({ records: 2, lastTs: 101 });
  });
});
