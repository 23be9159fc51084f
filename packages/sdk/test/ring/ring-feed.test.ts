// Ring-only behaviour through the Platform API: wrap-around, overruns, naming, status, deletion.
import { existsSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeepwaterError, OverrunError } from '../../src/index.js';
import { ringShmName } from '../../src/ring/index.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const t = useRingBase();

function ringFeed(records: number, name = 'ticks') {
  const p = t.open();
  p.createFeed(tradeSpec(name, { persist: false, chunkSizeMb: mbFor(records) }));
  return p;
}

const rows = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => [first + i, 1, 1_000 + first + i] as [number, number, number]);

describe('ring feeds', () => {
  it('keep exactly the last capacity records, in order, after wrapping', () => {
    const p = ringFeed(16);
    const w = p.createWriter('ticks');
    for (let i = 0; i < 50; i++) w.writeValues(i, 1, 1_000 + i);
    const r = p.createReader('ticks');
    expect(r.range(0, 1e9)).toEqual(rows(34, 16));
    expect(r.latest(1)).toEqual(rows(34, 16));
    expect(r.range(1_040, 1_045).map((row) => row[0])).toEqual([40, 41, 42, 43, 44]);
    const replay = r.stream({ start: 0 });
    expect(Array.from({ length: 16 }, () => replay.nextSync())).toEqual(rows(34, 16));
    p.close();
    t.open().deleteFeed('ticks');
  });

  it('keep batch order when a batch crosses the physical end of the ring', () => {
    const p = ringFeed(16);
    const w = p.createWriter('ticks');
    const r = p.createReader('ticks');
    r.readAvailable();
    w.writeBatch(rows(0, 11));
    expect(r.readAvailable()).toEqual(rows(0, 11));
    w.writeBatch(rows(11, 12)); // slots 11..15 then 0..6
    expect(r.readAvailable()).toEqual(rows(11, 12));
    expect(r.range(0, 1e9)).toEqual(rows(7, 16));
    expect(r.stats.lostRecords).toBe(0);
    p.close();
    t.open().deleteFeed('ticks');
  });

  it('count what a lapped reader lost, or throw OverrunError when asked to', () => {
    const p = ringFeed(16);
    const w = p.createWriter('ticks');
    const skipping = p.createReader('ticks');
    const throwing = p.createReader('ticks', { onOverrun: 'throw' });
    skipping.readAvailable();
    throwing.readAvailable();
    const stream = skipping.stream();
    w.writeBatch(rows(0, 40));
    expect(skipping.readAvailable()).toEqual(rows(24, 16));
    expect(stream.nextSync()).toEqual(rows(24, 1)[0]);
    expect(skipping.stats.lostRecords).toBe(48);
    let error: unknown;
    try {
      throwing.readAvailable();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OverrunError);
    expect((error as OverrunError).name).toBe('OverrunError');
    expect((error as OverrunError).code).toBe('ERR_OVERRUN');
    expect((error as OverrunError).lostRecords).toBe(24);
    expect((error as OverrunError).message).toContain('"ticks"');
    expect(throwing.readAvailable()).toEqual(rows(24, 16));
    p.close();
    t.open().deleteFeed('ticks');
  });

  it('reach the same ring from a relative, an absolute and a symlinked base path', () => {
    const p = ringFeed(64);
    const w = p.createWriter('ticks');
    w.writeValues(1, 1, 1);
    const link = `${t.base()}-link`;
    symlinkSync(t.base(), link);
    try {
      for (const path of [relative(process.cwd(), t.base()), link]) {
        expect(ringShmName(path, 'ticks')).toBe(ringShmName(t.base(), 'ticks'));
        expect(t.open(path).createReader('ticks').range(0, 10)).toEqual([[1, 1, 1]]);
      }
    } finally {
      unlinkSync(link);
    }
    p.close();
    t.open().deleteFeed('ticks');
  });

  it('round the ring down to whole records and report it in feedStatus', () => {
    const p = t.open();
    p.createFeed(tradeSpec('ticks', { persist: false, chunkSizeMb: 1000 / 1_048_576 })); // 1000 bytes
    expect(p.feedStatus('ticks').ring).toMatchObject({ exists: false, capacity: 41, recordsWritten: 0 });
    expect(p.feedStatus('ticks')).toMatchObject({ records: 0, firstTs: null, lastTs: null });
    const w = p.createWriter('ticks');
    w.writeBatch(rows(0, 50));
    expect(p.feedStatus('ticks').ring).toMatchObject({
      exists: true,
      capacity: 41,
      recordSize: 24,
      recordsWritten: 50,
      recordsHeld: 41,
      wraps: 1,
      firstTs: 1_009,
      lastTs: 1_049,
      writerPid: process.pid,
    });
    // Slots carry an 8-byte stamp beside each record: bytes is the shared-memory object's real size.
    const shm = join('/dev/shm', ringShmName(t.base(), 'ticks'));
    expect(p.feedStatus('ticks').ring?.bytes).toBe(statSync(shm).size);
    // The top-level counters describe what the ring holds, not the (empty) disk side.
    expect(p.feedStatus('ticks')).toMatchObject({
      records: 41,
      firstTs: 1_009,
      lastTs: 1_049,
      lastAppendUs: null,
    });
    w.close();
    expect(p.feedStatus('ticks').ring?.writerPid).toBeNull();
    p.deleteFeed('ticks');
  });

  it('survive the writer closing and are unlinked by deleteFeed', () => {
    const p = ringFeed(64);
    const shm = join('/dev/shm', ringShmName(t.base(), 'ticks'));
    const w = p.createWriter('ticks');
    w.writeValues(1, 1, 1);
    w.close();
    expect(existsSync(shm)).toBe(true);
    const reader = p.createReader('ticks');
    expect(reader.range(0, 10)).toHaveLength(1);
    expect(p.deleteFeed('ticks')).toBe(true);
    expect(existsSync(shm)).toBe(false);
    // A reader still attached keeps its mapping until it closes.
    expect(() => reader.close()).not.toThrow();
  });

  it('refuse a changed persist flag and bad specs like disk feeds', () => {
    const p = ringFeed(64);
    expect(() => p.createFeed(tradeSpec('ticks', { persist: true, chunkSizeMb: mbFor(64) }))).toThrow(
      DeepwaterError,
    );
    expect(() => p.createFeed(tradeSpec('bad', { persist: false, chunkSizeMb: 0 }))).toThrow(
      /chunkSizeMb|chunk/,
    );
    expect(() => p.createFeed(tradeSpec('bad', { persist: 'no' }))).toThrow(/persist/);
    p.deleteFeed('ticks');
  });
});
