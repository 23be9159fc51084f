import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

describe("mode 'IF': a persisted sparse time index per chunk", () => {
  const t = useTempBase();
  const total = 70_000;
  const tsOf = (seq: number) => 1_000 + Math.floor(seq / 3); // ties of three

  function build() {
    const p = t.platform();
    // 0.5 MiB chunks: 21,845 records each, an index entry every 6 records.
    for (const [name, mode] of [
      ['indexed', 'IF'],
      ['plain', 'UF'],
    ] as const) {
      p.createFeed(tradeSpec(name, { mode, chunkSizeMb: 0.5 }));
      const w = p.createWriter(name);
      for (let seq = 0; seq < total; seq += 1000) {
        w.writeBatch(Array.from({ length: 1000 }, (_, i) => [seq + i, 0, tsOf(seq + i)]));
      }
      w.close();
    }
    return p;
  }

  it('writes an index file for every chunk, and seeks agree with the plain binary search', () => {
    const p = build();
    const dir = p.describeFeed('indexed').path;
    const indexes = readdirSync(dir).filter((f) => f.startsWith('index-'));
    expect(indexes).toHaveLength(p.feedStatus('indexed').chunkCount);
    expect(readdirSync(p.describeFeed('plain').path).some((f) => f.startsWith('index-'))).toBe(false);

    const indexed = p.createReader('indexed');
    const plain = p.createReader('plain');
    for (let k = 0; k < 300; k++) {
      const ts = 1_000 + Math.floor(Math.random() * (total / 3 + 20));
      const want = plain.range(ts, ts + 2).map((row) => row[0]);
      expect(indexed.range(ts, ts + 2).map((row) => row[0])).toEqual(want);
      const expected = Math.min((ts - 1000) * 3, total);
      expect(want[0] ?? total).toBe(expected);
      const s = indexed.stream({ start: ts });
      expect(s.tryNext()?.[0]).toBe(expected < total ? expected : undefined);
      s.close();
    }
  });

  it('ignores a damaged index file and still finds every record', () => {
    const p = build();
    const dir = p.describeFeed('indexed').path;
    writeFileSync(join(dir, 'index-0000000001.dwi'), 'not an index');
    expect(existsSync(join(dir, 'index-0000000002.dwi'))).toBe(true);
    const r = p.createReader('indexed');
    expect(r.range(1_500, 1_501).map((row) => row[0])).toEqual([1_500, 1_501, 1_502]);
  });

  it('keeps indexing after a writer resumes the feed', () => {
    const p = build();
    const w = p.createWriter('indexed');
    for (let seq = total; seq < total + 30_000; seq++) w.writeValues(seq, 0, tsOf(seq));
    w.close();
    const r = p.createReader('indexed');
    // seqs 94,998..95,000 share one timestamp
    expect(r.range(tsOf(total + 25_000), tsOf(total + 25_000) + 1).map((row) => row[0])).toEqual([
      94_998, 94_999, 95_000,
    ]);
  });
});
