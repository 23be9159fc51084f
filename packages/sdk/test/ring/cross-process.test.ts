// Ring feeds across processes through the Platform API: a writer process, reader processes.
import { describe, expect, it } from 'vitest';
import { checkedRingSpec, isIntact } from './fixtures/checked-ring.js';
import { useRingChildren } from './ring-child.js';
import { useRingBase } from './ring-test-base.js';

const t = useRingBase();
const spawn = useRingChildren();

describe('ring feeds across processes', () => {
  it('deliver every record exactly once, in order, to readers that keep up', async () => {
    const count = 100_000;
    // ~200 records per ms against a 65,536-record ring: readers only fall behind if descheduled ~300 ms.
    const writer = spawn('ring-writer.ts', [t.base(), 'xp', 65_536, count, 200]);
    await writer.line('ready');
    const readers = [
      spawn('ring-reader.ts', [t.base(), 'xp', count, 'fast']),
      spawn('ring-reader.ts', [t.base(), 'xp', count, 'fast']),
    ];
    await Promise.all(readers.map((reader) => reader.line('attached')));
    writer.go();
    expect((await writer.line('done')).seq).toBe(count);
    await writer.exited;
    for (const reader of readers) {
      expect(await reader.line('summary')).toMatchObject({
        received: count,
        lost: 0,
        torn: 0,
        reordered: 0,
        duplicates: 0,
        last: count - 1,
      });
    }
    t.open().deleteFeed('xp');
  });

  it('deliver every record at 1 M records/s to a sync and a for-await stream, none lost', async () => {
    const count = 500_000;
    // The ring holds every record (2^19 slots), so the counts are exact however the machine
    // schedules the three processes; whether readers keep up with a smaller ring is a rate, measured
    // by the bench (latency.ring.spin.1m / latency.ring.async.1m, no-loss targets).
    const writer = spawn('rate-writer.ts', [t.base(), 'fast', count, 1_000_000, 1 << 19]);
    await writer.line('ready');
    const readers = [
      spawn('ring-reader.ts', [t.base(), 'fast', count, 'fast']),
      spawn('ring-reader.ts', [t.base(), 'fast', count, 'async']),
    ];
    await Promise.all(readers.map((reader) => reader.line('attached')));
    writer.go();
    expect((await writer.line('done')).seq).toBe(count);
    for (const reader of readers) {
      expect(await reader.line('summary')).toMatchObject({
        received: count,
        lost: 0,
        torn: 0,
        reordered: 0,
        duplicates: 0,
        last: count - 1,
      });
    }
    await writer.exited;
    t.open().deleteFeed('fast');
  });

  it('count a slow reader’s loss exactly (written − received = lost) and never return a torn record', async () => {
    const count = 200_000;
    const writer = spawn('ring-writer.ts', [t.base(), 'xp', 64, count, 0]);
    await writer.line('ready');
    const reader = spawn('ring-reader.ts', [t.base(), 'xp', count, 'slow']);
    await reader.line('attached');
    writer.go();
    await writer.line('done');
    const summary = await reader.line('summary');
    await writer.exited;
    expect(summary.lost as number).toBeGreaterThan(0);
    expect(count - (summary.received as number)).toBe(summary.lost);
    expect(summary).toMatchObject({ torn: 0, reordered: 0, duplicates: 0, last: count - 1 });
    t.open().deleteFeed('xp');
  });

  it('continue the sequence after the writer is killed with SIGKILL and restarted; readers keep going', async () => {
    const p = t.open();
    p.createFeed(checkedRingSpec('xp', 1 << 20));
    const stream = p.createReader('xp').stream();
    const first = spawn('ring-writer.ts', [t.base(), 'xp', 1 << 20, 0, 100]);
    const { pid } = await first.line('ready');
    first.go();
    const seen: unknown[][] = [];
    // next()/nextSync() rather than for-of + break, which would close the stream.
    while (seen.length < 3_000) seen.push((await stream.next()) as unknown[]);
    expect(() => p.createWriter('xp')).toThrow(new RegExp(`pid ${pid}`));
    first.process.kill('SIGKILL');
    await first.exited;
    const second = spawn('ring-writer.ts', [t.base(), 'xp', 1 << 20, 1_000, 0]);
    const resumed = (await second.line('ready')).seq as number;
    expect(resumed).toBeGreaterThanOrEqual(3_000);
    second.go();
    const end = (await second.line('done')).seq as number;
    expect(end).toBe(resumed + 1_000);
    // The earlier stream continues where it stopped, through the crash, with nothing missing.
    const live = p.createReader('xp');
    expect(live.range(0, Number.MAX_SAFE_INTEGER)).toHaveLength(end);
    while (seen.length < end) seen.push(stream.nextSync() as unknown[]);
    expect(seen).toHaveLength(end);
    expect(seen.every((record, i) => isIntact(record) && record[1] === i)).toBe(true);
    p.close();
    // 'done' comes before the child closes its writer: deleting earlier races with its exit.
    await second.exited;
    t.open().deleteFeed('xp');
  });
});
