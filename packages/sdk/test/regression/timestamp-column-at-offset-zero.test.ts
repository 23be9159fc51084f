import { describe, expect, it } from 'vitest';
import { useTempBase } from '../helpers/temp-base.js';

// The seed treated a timestamp column at byte offset 0 as "no timestamp" (`offset or fallback`).
describe('a timestamp column at byte offset 0', () => {
  const t = useTempBase();

  it('is used for seeks, ranges, latest and stream({ start }), including a timestamp of 0', () => {
    const p = t.platform();
    p.createFeed({
      feedName: 'ts-first',
      fields: [
        { name: 'ts', type: 'int64' },
        { name: 'v', type: 'int32' },
      ],
      tsCol: 'ts',
      chunkSizeMb: 36 / 1_048_576, // 3 records per chunk
    });
    expect(p.getRecordFormat('ts-first')).toMatchObject({ tsCol: 'ts', tsOffset: 0, fmt: '<qi' });
    const w = p.createWriter('ts-first');
    for (const ts of [-5, 0, 0, 3, 7, 7, 9]) w.writeValues(ts, ts * 10);
    const r = p.createReader('ts-first');
    expect(r.range(0, 8)).toEqual([
      [0, 0],
      [0, 0],
      [3, 30],
      [7, 70],
      [7, 70],
    ]);
    expect(r.range(-10, 0)).toEqual([[-5, -50]]);
    expect(r.latest(2 / 1e6)).toEqual([
      [7, 70],
      [7, 70],
      [9, 90],
    ]);
    const s = r.stream({ start: 7 });
    expect([s.nextSync(), s.nextSync(), s.nextSync()]).toEqual([
      [7, 70],
      [7, 70],
      [9, 90],
    ]);
  });
});
