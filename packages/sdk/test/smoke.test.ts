import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

describe('quick start', () => {
  const t = useTempBase();

  it('writes records and reads them back by range, latest, stream and readAvailable', async () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: 0.001 }));
    const w = p.createWriter('trades');
    const r = p.createReader('trades');
    expect(r.readAvailable()).toEqual([]);
    for (let i = 0; i < 200; i++) w.writeValues(100 + i, 1, 1_000 + i);
    expect(r.range(1_000, 1_200)).toHaveLength(200);
    expect(r.range(1_050, 1_060)).toEqual(Array.from({ length: 10 }, (_, i) => [150 + i, 1, 1_050 + i]));
    expect(r.latest(0.00001)).toEqual([
      [289, 1, 1_189],
      [290, 1, 1_190],
      [291, 1, 1_191],
      [292, 1, 1_192],
      [293, 1, 1_193],
      [294, 1, 1_194],
      [295, 1, 1_195],
      [296, 1, 1_196],
      [297, 1, 1_197],
      [298, 1, 1_198],
      [299, 1, 1_199],
    ]);
    let got = 0;
    while (true) {
      const batch = r.readAvailable();
      if (batch.length === 0) break;
      got += batch.length;
    }
    expect(got).toBe(200);
    const s = r.stream({ start: 1_190 });
    const seen: unknown[] = [];
    for await (const rec of s) {
      seen.push(rec);
      if (seen.length === 10) w.writeValues(1, 2, 5_000);
      if (seen.length === 11) break;
    }
    expect(seen.at(-1)).toEqual([1, 2, 5_000]);
    expect(p.feedStatus('trades').records).toBe(201);
  });
});
