// scan()'s contract beyond its records: one reused view, valid until the next step; once the scan
// ends (exhausted, break, close(), or its reader closed) every member throws ERR_CLOSED; field
// names that collide with JavaScript; and a ring record the writer overwrites during a scan is
// never exposed torn.
import { describe, expect, it } from 'vitest';
import { DeepwaterError, type ScanRecord } from '../src/index.js';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';
import { checkedRecord, isIntact } from './ring/fixtures/checked-ring.js';
import { useRingChildren } from './ring/ring-child.js';
import { useRingBase } from './ring/ring-test-base.js';

const FOUR_RECORDS = { chunkSizeBytes: 4 * 24 };

function expectExpired(rec: ScanRecord, how: RegExp): void {
  for (const read of [
    () => rec.price,
    () => rec.$seq,
    () => rec.$ts,
    () => rec.toTuple(),
    () => rec.toObject(),
  ]) {
    let error: unknown;
    try {
      read();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({ code: 'ERR_CLOSED', feed: 'trades' });
    expect((error as Error).message).toMatch(how);
  }
}

describe('scan() record views', () => {
  const t = useTempBase();

  function tradesWith(count: number) {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', FOUR_RECORDS));
    const w = p.createWriter('trades');
    for (let i = 0; i < count; i++) w.writeValues(i * 1.5, i, 1_000 + i);
    return { p, w, r: p.createReader('trades') };
  }

  it('yields one reused view: a view kept past its step shows the current record, across chunks', () => {
    const { r } = tradesWith(10);
    const scan = r.scan(1_002, 1_009);
    const first = scan.next().value as ScanRecord;
    expect(first.toTuple()).toEqual([3, 2, 1_002]);
    const kept = first.toTuple();
    // Records 1_003..1_005 cross from chunk 1 into chunk 2: the same object each step.
    for (const seq of [3, 4, 5]) {
      const step = scan.next();
      expect(step.done).toBe(false);
      expect(step.value).toBe(first);
      expect(first.$seq).toBe(seq);
      expect(first.price).toBe(seq * 1.5);
    }
    expect(kept).toEqual([3, 2, 1_002]); // a copy taken with toTuple() keeps its values
    scan.close();
  });

  it('expires the view when the scan is exhausted, broken out of, closed, or its reader closes', () => {
    const { r } = tradesWith(6);
    let kept: ScanRecord | undefined;
    for (const rec of r.scan(0, 10_000)) kept = rec;
    expectExpired(kept as ScanRecord, /after its scan ended.*toTuple\(\)/);

    for (const rec of r.scan(0, 10_000)) {
      kept = rec;
      break;
    }
    expectExpired(kept as ScanRecord, /after its scan ended/);

    const closed = r.scan(0, 10_000);
    kept = closed.next().value as ScanRecord;
    closed.close();
    expect(closed.next().done).toBe(true);
    expectExpired(kept, /after its scan ended/);

    const open = r.scan(0, 10_000);
    kept = open.next().value as ScanRecord;
    expect(kept.size).toBe(0);
    r.close();
    expect(open.closed).toBe(true);
    expectExpired(kept, /closed with its reader/);
    expect(() => r.scan(0, 1)).toThrow(/closed/);
  });

  it('keeps a chunk readable while a view is on it, even when retention removes its file', () => {
    const { p, w, r } = tradesWith(12);
    const scan = r.scan(0, 10_000);
    const rec = scan.next().value as ScanRecord;
    w.close();
    p.deleteFeed('trades'); // every chunk file is unlinked; the mapping the view reads stays valid
    expect(rec.toTuple()).toEqual([0, 0, 1_000]);
    let count = 1;
    while (!scan.next().done) count++;
    expect(count).toBeGreaterThanOrEqual(4); // at least the chunk it was on
  });

  it('serves field names that collide with JavaScript members', () => {
    const p = t.platform();
    p.createFeed({
      feedName: 'odd',
      fields: [
        { name: 'constructor', type: 'float64' },
        { name: 'toTuple', type: 'int32' },
        { name: 'valueOf', type: 'uint8' },
        { name: 'ts', type: 'int64' },
      ],
      tsCol: 'ts',
    });
    const w = p.createWriter('odd');
    w.writeValues(2.5, -7, 9, -3);
    const r = p.createReader('odd', { int64: 'bigint' });
    for (const rec of r.scan(-10, 10)) {
      expect(rec.constructor).toBe(2.5);
      expect(rec.toTuple).toBe(-7); // the field shadows the method; toObject() still copies
      expect(rec.valueOf).toBe(9);
      expect(rec.$ts).toBe(-3n);
      expect(rec.toObject()).toEqual({ constructor: 2.5, toTuple: -7, valueOf: 9, ts: -3n });
    }
  });

  it('refuses an unsafe 64-bit integer in number mode as range() does, naming the field', () => {
    const p = t.platform();
    p.createFeed({
      feedName: 'big',
      fields: [
        { name: 'ts', type: 'uint64' },
        { name: 'qty', type: 'uint64' },
      ],
      tsCol: 'ts',
    });
    const w = p.createWriter('big');
    w.writeValues(4, 1n);
    w.writeValues(5, 2n ** 60n);
    const r = p.createReader('big');
    expect(() => r.range(0, 10)).toThrow(/qty/);
    const scan = r.scan(0, 10);
    expect((scan.next().value as ScanRecord).qty).toBe(1);
    // The second record: the error is built from the record the view is on, not the run's first.
    const rec = scan.next().value as ScanRecord;
    expect(rec.ts).toBe(5);
    expect(() => rec.qty).toThrow(/qty/);
    scan.close();
    const big = p.createReader('big', { int64: 'bigint' }).scan(0, 10);
    big.next();
    expect(big.next().value?.qty).toBe(2n ** 60n);
  });
});

describe('scan() over a ring a writer keeps lapping', () => {
  const t = useRingBase();
  const spawn = useRingChildren();

  it('never exposes a torn or mislabelled record, and counts what it skipped', async () => {
    const writer = spawn('ring-writer.ts', [t.base(), 'xp', 64, 0, 0]);
    await writer.line('ready');
    const p = t.open();
    const r = p.createReader('xp');
    writer.go();
    let checked = 0;
    let scans = 0;
    // Scans of a 64-record ring written flat out by another process: slots are overwritten while
    // they are copied. Stop once the writer has lapped scans (records lost) and enough were seen.
    while ((r.stats.lostRecords === 0 || checked < 20_000) && scans < 200_000) {
      scans++;
      for (const rec of r.scan(0, Number.MAX_SAFE_INTEGER)) {
        const tuple = rec.toTuple();
        if (!isIntact(tuple) || rec.$seq !== rec.seq || rec.value !== checkedRecord(rec.$seq)[2]) {
          throw new Error(`torn or mislabelled record ${JSON.stringify(tuple)} at $seq ${rec.$seq}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20_000);
    expect(r.stats.lostRecords).toBeGreaterThan(0);
    writer.process.kill('SIGKILL');
    await writer.exited;
    p.close();
    t.open().deleteFeed('xp');
  });
});
