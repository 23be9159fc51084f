import { readFileSync, unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

const FOUR_RECORDS = 96 / 1_048_576;

describe('reader semantics', () => {
  const t = useTempBase();

  function feedWith(name: string, stamps: number[], chunkSizeMb = FOUR_RECORDS) {
    const p = t.platform();
    p.createFeed(tradeSpec(name, { chunkSizeMb }));
    const w = p.createWriter(name);
    stamps.forEach((ts, i) => {
      w.writeValues(i, 0, ts);
    });
    return { p, w };
  }

  it('starts a live-only stream at the head: nothing written before the call is yielded', () => {
    const { p, w } = feedWith('live', [1, 2, 3, 4, 5]);
    const s = p.createReader('live').stream();
    expect(s.tryNext()).toBeUndefined();
    w.writeValues(99, 0, 6);
    expect(s.tryNext()).toEqual([99, 0, 6]);
  });

  it('computes latest(seconds) from the newest record, not from the wall clock', () => {
    const second = 1_000_000;
    const { p } = feedWith('latest', [1 * second, 5 * second, 9 * second, 10 * second, 10.5 * second]);
    const r = p.createReader('latest');
    expect(r.latest(1).map((row) => row[0])).toEqual([3, 4]);
    expect(r.latest(0).map((row) => row[0])).toEqual([4]);
    expect(r.latest().map((row) => row[0])).toEqual([0, 1, 2, 3, 4]);
    expect(() => r.latest(-1)).toThrow(/latest/);
  });

  it('gives every reader and every stream its own cursor', () => {
    const { p, w } = feedWith('cursors', []);
    const a = p.createReader('cursors');
    const b = p.createReader('cursors');
    a.readAvailable();
    b.readAvailable();
    const s1 = a.stream({ start: 0 });
    const s2 = a.stream({ start: 0 });
    for (let i = 0; i < 3; i++) w.writeValues(i, 0, i);
    expect(a.readAvailable()).toHaveLength(3);
    expect(a.readAvailable()).toHaveLength(0);
    expect(b.readAvailable()).toHaveLength(3);
    expect(s1.nextSync()).toEqual([0, 0, 0]);
    expect(s1.nextSync()).toEqual([1, 0, 1]);
    expect(s2.nextSync()).toEqual([0, 0, 0]);
  });

  it('wakes an async stream parked on an idle feed when a record arrives', async () => {
    const { p, w } = feedWith('parked', []);
    const s = p.createReader('parked').stream();
    const pending = s.next();
    setTimeout(() => w.writeValues(1, 2, 3), 120); // well past the spin phase: the stream is parked
    expect(await pending).toEqual([1, 2, 3]);
    s.close();
    expect(await s.next()).toBeUndefined();
  });

  it('ends for-await when the stream or its reader is closed', async () => {
    const { p, w } = feedWith('closing', []);
    const r = p.createReader('closing');
    const s = r.stream();
    setTimeout(() => w.writeValues(1, 0, 1), 20);
    const got: unknown[] = [];
    for await (const rec of s) {
      got.push(rec);
      // Close while the loop is parked again waiting for a record that never comes.
      setTimeout(() => r.close(), 20);
    }
    expect(got).toEqual([[1, 0, 1]]);
    expect(s.closed).toBe(true);
  });

  it('skips chunk files removed by retention instead of failing', () => {
    const { p, w } = feedWith(
      'holes',
      Array.from({ length: 16 }, (_, i) => i),
    );
    const status = p.feedStatus('holes');
    expect(status.chunkCount).toBe(4);
    const s = p.createReader('holes').stream({ start: 0 });
    expect(s.nextSync()).toEqual([0, 0, 0]);
    unlinkSync(status.chunks[1].path);
    unlinkSync(status.chunks[2].path);
    const r = p.createReader('holes');
    expect(r.range(0, 100).map((row) => row[0])).toEqual([0, 1, 2, 3, 12, 13, 14, 15]);
    expect(r.range(5, 100).map((row) => row[0])).toEqual([12, 13, 14, 15]);
    const seen = [1, 2, 3, 4].map(() => s.nextSync()?.[0]);
    // The stream maps chunks lazily, so it skips both removed chunks.
    expect(seen).toEqual([1, 2, 3, 12]);
    w.writeValues(16, 0, 16);
    expect(p.feedStatus('holes').chunkCount).toBe(3);
  });

  it('unmaps chunks a stream has passed, so a long feed is never mapped whole', () => {
    const { p } = feedWith(
      'long',
      Array.from({ length: 400 }, (_, i) => i),
    );
    const s = p.createReader('long').stream({ start: 0 });
    for (let i = 0; i < 400; i++) expect(s.nextSync()?.[0]).toBe(i);
    const mapped = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((line) => line.includes(`${t.base()}/feeds/long/chunk-`));
    // The writer's current chunk, the stream's current and previous chunks, the reader's seek cache.
    expect(mapped.length).toBeLessThanOrEqual(8);
    expect(p.feedStatus('long').chunkCount).toBe(100);
  });

  it('keeps seek mappings for reuse but caps how many chunks one reader maps', () => {
    const { p } = feedWith(
      'wide',
      Array.from({ length: 1200 }, (_, i) => i),
    );
    const r = p.createReader('wide');
    expect(p.feedStatus('wide').chunkCount).toBe(300);
    const mappedChunks = () =>
      readFileSync('/proc/self/maps', 'utf8')
        .split('\n')
        .filter((line) => line.includes(`${t.base()}/feeds/wide/chunk-`)).length;
    for (let ts = 0; ts < 40; ts++) expect(r.range(ts, ts + 1)).toEqual([[ts, 0, ts]]);
    // Ten chunks visited: all still mapped, so seeking back there does not map them again.
    expect(mappedChunks()).toBeGreaterThanOrEqual(10);
    for (let ts = 0; ts < 1200; ts++) expect(r.range(ts, ts + 1).length).toBe(1);
    // 300 chunks visited: the reader keeps at most 256 of them (plus the live chunk, mapped by the writer and by feedStatus).
    expect(mappedChunks()).toBeLessThanOrEqual(258);
    expect(mappedChunks()).toBeGreaterThanOrEqual(250);
    r.close();
  });

  it('returns raw bytes zero-copy within a chunk, and they stay valid after the reader moves on or closes', () => {
    const { p } = feedWith(
      'raw',
      Array.from({ length: 40 }, (_, i) => i),
    );
    const r = p.createReader('raw');
    const inOneChunk = r.range(4, 8, { format: 'raw' });
    expect(inOneChunk.buffer.byteLength).toBe(8192); // the chunk's mapping itself, not a copy
    const acrossChunks = r.range(2, 10, { format: 'raw' });
    expect(acrossChunks.length).toBe(8 * 24);
    const s = r.stream({ start: 0, format: 'raw' });
    const first = s.nextSync() as Uint8Array;
    for (let i = 1; i < 40; i++) s.nextSync();
    for (let ts = 12; ts < 40; ts++) r.range(ts, ts + 1); // churn the reader's chunk cache
    r.close();
    const ts0 = new DataView(first.buffer, first.byteOffset, 24).getFloat64(16, true);
    expect(first.length).toBe(24);
    expect(ts0).toBe(0);
    expect(new DataView(inOneChunk.buffer, inOneChunk.byteOffset).getBigUint64(16, true)).toBe(4n);
  });
});
