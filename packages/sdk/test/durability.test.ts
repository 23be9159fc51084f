import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

describe('durability modes', () => {
  const t = useTempBase();

  it.each(['page-cache', 'msync', 'fsync'] as const)(
    '%s: writes, rotates, flushes and syncs in the background',
    async (durability) => {
      const p = t.platform();
      p.createFeed(tradeSpec('d', { chunkSizeMb: 0.001, durability }));
      expect(p.lifecycle('d').durability).toBe(durability);
      const w = p.createWriter('d', { syncIntervalMs: 5 });
      for (let ts = 0; ts < 200; ts++) w.writeValues(ts, 1, ts); // 43 records per chunk: several rotations
      w.flush();
      await sleep(30); // let the background msync timer fire at least once
      w.writeBatch(Array.from({ length: 50 }, (_, i) => [i, 2, 200 + i]));
      w.flush();
      w.close();
      expect(() => w.flush()).toThrow(/closed/);
      expect(p.createReader('d').range(0, 1e9)).toHaveLength(250);
    },
  );

  it('lets a writer override the feed durability', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('o'));
    const w = p.createWriter('o', { durability: 'fsync', syncIntervalMs: 0 });
    w.writeValues(1, 1, 1);
    w.flush();
    w.close();
    expect(p.createReader('o').range(0, 10)).toEqual([[1, 1, 1]]);
    expect(() => p.createWriter('o', { syncIntervalMs: -1 })).toThrow(/syncIntervalMs/);
  });
});
