// Readers made before their ring exists see it at the very next call once a writer has created it
// (issue #18): the writer announces the ring in the feed's ring-readers.tbl, which every ring
// cursor maps, so no call in between is answered from a stale "no ring yet".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RingWriter } from '@deepwater/ring';
import { mapFile } from '@deepwater/storage-native';
import { describe, expect, it, vi } from 'vitest';
import type { Platform, Reader, RecordStream } from '../../src/index.js';
import * as L from '../../src/registry/layout.js';
import { ringShmName } from '../../src/ring/index.js';
import { checkedRecord, checkedRingSpec, isIntact } from './fixtures/checked-ring.js';
import { useRingChildren } from './ring-child.js';
import { useRingBase } from './ring-test-base.js';

const t = useRingBase();
const spawn = useRingChildren();
const ALL = Number.MAX_SAFE_INTEGER;

/** One reader per call kind, all made (and polled once) before the ring exists. */
function watchers(p: Platform, feed: string) {
  const ranged = p.createReader(feed);
  const latest = p.createReader(feed);
  const available = p.createReader(feed);
  const stream: RecordStream<unknown[]> = p.createReader(feed).stream();
  const seen = { available: 0, streamed: [] as unknown[][] };
  const poll = () => {
    const results = {
      range: ranged.range(0, ALL).length,
      latest: latest.latest(ALL).length,
    };
    seen.available += (available.readAvailable() as unknown[]).length;
    for (let record = stream.tryNext(); record !== undefined; record = stream.tryNext()) {
      seen.streamed.push(record);
    }
    return { ...results, available: seen.available, streamed: seen.streamed.length };
  };
  return { poll, readers: [ranged, latest, available] as Reader[], stream, seen };
}

describe('a ring reader made before the ring exists', () => {
  it('sees the ring at the very next call after createWriter in the same process', () => {
    const p = t.open();
    // Warm the writer's code on another feed, so creating this one's is as quick as it gets.
    p.createFeed(checkedRingSpec('warm', 1024));
    p.createWriter('warm').close();
    p.deleteFeed('warm');
    p.createFeed(checkedRingSpec('early', 1024));
    const w = watchers(p, 'early');
    // The clock stands still from the first poll to the check, so "the very next call" cannot be
    // helped by a retry interval that expired while the writer was being created.
    const frozen = vi.spyOn(performance, 'now').mockReturnValue(performance.now());
    try {
      expect(w.poll()).toEqual({ range: 0, latest: 0, available: 0, streamed: 0 });
      const writer = p.createWriter('early');
      writer.writeBatch([0, 1, 2].map(checkedRecord));
      expect(w.poll()).toEqual({ range: 3, latest: 3, available: 3, streamed: 3 });
      writer.close();
    } finally {
      frozen.mockRestore();
    }
    p.deleteFeed('early');
  });

  it('sees the ring at the very next call after a writer in another process wrote, while polling', async () => {
    const p = t.open();
    p.createFeed(checkedRingSpec('xp-early', 1024));
    const w = watchers(p, 'xp-early');
    const flagPath = join(t.base(), 'written.flag');
    writeFileSync(flagPath, new Uint8Array(4096));
    const flagMapping = mapFile(flagPath, { size: 4096 });
    const flag = new Int32Array(flagMapping.buffer);
    const child = spawn('announce-writer.ts', [t.base(), 'xp-early', 0, 100, flagPath]);
    // Poll as a live consumer would (each poll may find no ring) until the writer says it is done;
    // the guard only stops a broken run, it asserts nothing about time.
    const guard = Date.now() + 60_000;
    let polls = 0;
    while (Atomics.load(flag, 0) === 0 && Date.now() < guard) {
      w.poll();
      polls++;
    }
    expect(Atomics.load(flag, 0)).toBe(1);
    expect(w.poll()).toEqual({ range: 100, latest: 100, available: 100, streamed: 100 });
    expect(polls).toBeGreaterThan(0);
    expect(w.seen.streamed.every((record, i) => isIntact(record) && record[1] === i)).toBe(true);
    expect((await child.exited).code).toBe(0);
    flagMapping.close();
    p.deleteFeed('xp-early');
  });

  it('keeps every record across writer restarts, and a reader made between writers sees the ring at once', async () => {
    const p = t.open();
    p.createFeed(checkedRingSpec('restart', 1024));
    const w = watchers(p, 'restart');
    w.poll();
    for (const run of [1, 2, 3]) {
      const writer = p.createWriter('restart');
      writer.writeBatch([0, 1, 2].map((i) => checkedRecord((run - 1) * 3 + i)));
      expect(w.poll()).toEqual({ range: run * 3, latest: run * 3, available: run * 3, streamed: run * 3 });
      writer.close();
      // The ring outlives its writer: a reader made now attaches at its first call.
      const between = p.createReader('restart');
      expect(between.range(0, ALL)).toHaveLength(run * 3);
      between.close();
    }
    expect(w.seen.streamed.map((record) => record[1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // A writer in another process restarting on the same ring: seen at the next call too.
    const flagPath = join(t.base(), 'written.flag');
    writeFileSync(flagPath, new Uint8Array(4096));
    const child = spawn('announce-writer.ts', [t.base(), 'restart', 9, 5, flagPath]);
    expect((await child.exited).code).toBe(0);
    expect(w.poll()).toEqual({ range: 14, latest: 14, available: 14, streamed: 14 });
    expect(w.seen.streamed.every((record, i) => isIntact(record) && record[1] === i)).toBe(true);
    p.deleteFeed('restart');
  });

  it('reads a version-1 readers table as it is, and still attaches at once through it', () => {
    const p = t.open();
    p.createFeed(checkedRingSpec('v1', 64));
    const header = new Uint8Array(L.RING_READERS_FILE_LENGTH);
    const view = new DataView(header.buffer);
    view.setUint32(0, L.RING_READERS_MAGIC, true);
    view.setUint32(4, 1, true);
    view.setUint32(8, L.RING_READERS_SLOT_CAPACITY, true);
    view.setUint32(12, L.RING_READERS_SLOT_LENGTH, true);
    writeFileSync(join(t.base(), 'feeds', 'v1', L.RING_READERS_FILE), header);
    const w = watchers(p, 'v1');
    w.poll();
    const writer = p.createWriter('v1');
    writer.writeValues(checkedRecord(0)[0], 0, 0, checkedRecord(0)[3]);
    expect(w.poll()).toMatchObject({ range: 1, latest: 1, available: 1, streamed: 1 });
    expect(p.feedStatus('v1').ring?.readers).toHaveLength(2);
    writer.close();
    p.deleteFeed('v1');
  });

  it('finds a ring whose writer never announced it (fallback probe)', () => {
    const p = t.open();
    p.createFeed(checkedRingSpec('silent', 64));
    const reader = p.createReader('silent');
    expect(reader.range(0, ALL)).toEqual([]);
    // A bare RingWriter (as an sdk before ring-readers table version 2 would) never announces.
    const ring = RingWriter.open(ringShmName(t.base(), 'silent'), {
      recordSize: 24,
      capacity: 64,
      timestampOffset: 0,
      lockPath: join(t.base(), 'feeds', 'silent', 'writer.lock'),
    });
    const at = ring.claim(1);
    ring.view.setBigUint64(at, 5n, true);
    ring.publish();
    const guard = Date.now() + 60_000;
    let found = 0;
    while (found === 0 && Date.now() < guard) found = reader.range(0, ALL).length;
    expect(found).toBe(1);
    ring.close();
    reader.close();
    p.deleteFeed('silent');
  });
});
