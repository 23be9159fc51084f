// feedStatus(name).ring.readers: ring reader cursors announce their lag and losses across processes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/index.js';
import { type RingChild, useRingChildren } from './ring-child.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const t = useRingBase();
const spawn = useRingChildren();

function ringOf(p: Platform, feed: string) {
  const ring = p.feedStatus(feed).ring;
  if (ring === undefined) throw new Error(`feedStatus("${feed}") has no ring`);
  return ring;
}

function writeRecords(p: Platform, feed: string, count: number): void {
  const writer = p.createWriter(feed);
  for (let i = 0; i < count; i++) writer.writeValues(i, 1, 1_000 + i);
  writer.close();
}

/** Sends `command` to an announced-reader child and waits for its answer to it. */
async function ask(child: RingChild, command: string) {
  child.process.stdin?.write(`${command}\n`);
  return child.line(command);
}

/** The pid word of every slot in the feed's ring readers table, straight from the file. */
function slotPids(base: string, feed: string): number[] {
  const bytes = readFileSync(join(base, 'feeds', feed, 'ring-readers.tbl'));
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const pids: number[] = [];
  for (let slot = 0; slot < 256; slot++) pids.push(words[(64 + slot * 64) / 4] as number);
  return pids;
}

describe('ring readers in feedStatus', () => {
  it('shows a slow stream reader in another process lagging, then caught up', async () => {
    const p = t.open();
    p.createFeed(tradeSpec('rr', { persist: false, chunkSizeMb: mbFor(4096) }));
    const child = spawn('announced-reader.ts', [t.base(), 'rr', 'stream', 300]);
    const { pid } = await child.line('attached');
    writeRecords(p, 'rr', 1_000);
    expect(await ask(child, 'r1')).toMatchObject({ took: 300, consumed: 300, lost: 0 });

    const ring = ringOf(p, 'rr');
    expect(ring.readers).toHaveLength(1);
    const [reader] = ring.readers;
    expect(reader).toMatchObject({ pid, kind: 'stream', lostRecords: 0 });
    // Announced once per batch: at most what it consumed, at most one batch (256) behind that.
    const sequence = reader?.sequence as number;
    expect(sequence).toBeLessThanOrEqual(300);
    expect(sequence).toBeGreaterThan(300 - 256);
    expect(reader?.lagRecords).toBe(1_000 - sequence);
    expect(reader?.lagRecords).toBeGreaterThanOrEqual(700);
    expect(reader?.heartbeatUs).toBeGreaterThanOrEqual(reader?.openedUs as number);
    expect(ring.lostRecords).toBe(0);

    for (const round of ['r2', 'r3', 'r4']) await ask(child, round);
    expect(ringOf(p, 'rr').readers).toMatchObject([{ pid, sequence: 1_000, lagRecords: 0, lostRecords: 0 }]);
    await ask(child, 'exit').catch(() => undefined);
    await child.exited;
    expect(ringOf(p, 'rr').readers).toEqual([]);
    p.deleteFeed('rr');
  });

  it.each(['stream', 'readAvailable'])(
    'reports a lapped %s cursor’s lost records, equal to the reader’s own stats',
    async (kind) => {
      const p = t.open();
      p.createFeed(tradeSpec('lap', { persist: false, chunkSizeMb: mbFor(64) }));
      const child = spawn('announced-reader.ts', [t.base(), 'lap', kind, 100_000]);
      const { pid } = await child.line('attached');
      writeRecords(p, 'lap', 1_000);
      const answer = await ask(child, 'r1');
      expect(answer.lost).toBeGreaterThan(0);
      expect((answer.consumed as number) + (answer.lost as number)).toBe(1_000);

      const ring = ringOf(p, 'lap');
      expect(ring.readers).toMatchObject([{ pid, kind, lostRecords: answer.lost, lagRecords: 0 }]);
      expect(ring.lostRecords).toBe(answer.lost);
      child.process.kill('SIGKILL');
      await child.exited;
      p.deleteFeed('lap');
    },
  );

  it('drops a SIGKILLed reader’s cursor, and the next reader reclaims its slot', async () => {
    const p = t.open();
    p.createFeed(tradeSpec('kill', { persist: false, chunkSizeMb: mbFor(256) }));
    const child = spawn('announced-reader.ts', [t.base(), 'kill', 'stream', 10]);
    const { pid } = await child.line('attached');
    expect(ringOf(p, 'kill').readers.map((r) => r.pid)).toEqual([pid]);
    child.process.kill('SIGKILL');
    await child.exited;
    expect(ringOf(p, 'kill').readers).toEqual([]);
    // The dead pid still sits in its slot until someone needs it.
    expect(slotPids(t.base(), 'kill')[0]).toBe(pid);

    const stream = p.createReader('kill').stream();
    expect(slotPids(t.base(), 'kill')[0]).toBe(process.pid);
    expect(ringOf(p, 'kill').readers.map((r) => r.pid)).toEqual([process.pid]);
    stream.close();
    p.deleteFeed('kill');
  });

  it('frees a slot when a reader process exits without closing anything (the exit hook closes it)', async () => {
    const p = t.open();
    p.createFeed(tradeSpec('bye', { persist: false, chunkSizeMb: mbFor(256) }));
    const child = spawn('announced-reader.ts', [t.base(), 'bye', 'readAvailable', 10]);
    const { pid } = await child.line('attached');
    expect(slotPids(t.base(), 'bye')).toContain(pid);
    child.process.stdin?.write('exit\n');
    expect((await child.exited).code).toBe(0);
    expect(slotPids(t.base(), 'bye').every((slotPid) => slotPid === 0)).toBe(true);
    p.deleteFeed('bye');
  });

  it('frees cursors on stream close, reader close and Platform.close', () => {
    const p = t.open();
    p.createFeed(tradeSpec('own', { persist: false, chunkSizeMb: mbFor(256) }));
    const watcher = t.open();
    const reader = p.createReader('own');
    const stream = reader.stream();
    reader.readAvailable();
    expect(
      ringOf(watcher, 'own')
        .readers.map((r) => r.kind)
        .sort(),
    ).toEqual(['readAvailable', 'stream']);
    stream.close();
    expect(ringOf(watcher, 'own').readers.map((r) => r.kind)).toEqual(['readAvailable']);
    reader.close();
    expect(ringOf(watcher, 'own').readers).toEqual([]);
    p.createReader('own').stream();
    p.createReader('own').readAvailable();
    expect(ringOf(watcher, 'own').readers).toHaveLength(2);
    p.close();
    expect(ringOf(watcher, 'own').readers).toEqual([]);
    expect(slotPids(t.base(), 'own').every((slotPid) => slotPid === 0)).toBe(true);
    watcher.deleteFeed('own');
  });

  it('lists a reader that waits for the ring with no position, then at the ring’s first record', () => {
    const p = t.open();
    p.createFeed(tradeSpec('late', { persist: false, chunkSizeMb: mbFor(256) }));
    const stream = p.createReader('late').stream();
    expect(ringOf(p, 'late')).toMatchObject({
      exists: false,
      readers: [{ pid: process.pid, sequence: null, lagRecords: 0, lostRecords: 0 }],
    });
    writeRecords(p, 'late', 10);
    // Not attached yet: it will start at the first record, so all 10 are ahead of it.
    expect(ringOf(p, 'late').readers).toMatchObject([{ sequence: 0, lagRecords: 10 }]);
    const seen = [];
    for (let record = stream.tryNext(); record !== undefined; record = stream.tryNext()) seen.push(record);
    expect(seen).toHaveLength(10);
    expect(ringOf(p, 'late').readers).toMatchObject([{ sequence: 10, lagRecords: 0 }]);
    stream.close();
    p.deleteFeed('late');
  });

  it('refreshes an idle spinning stream’s heartbeat every ~1024 polls, and announces what it took at its first idle poll', () => {
    const p = t.open();
    p.createFeed(tradeSpec('idle', { persist: false, chunkSizeMb: mbFor(256) }));
    const writer = p.createWriter('idle');
    const stream = p.createReader('idle').stream();
    const heartbeat = () => ringOf(p, 'idle').readers[0]?.heartbeatUs as number;
    for (let round = 0; round < 3; round++) {
      const before = heartbeat();
      const until = performance.now() + 2; // the heartbeat is in µs of the wall clock
      while (performance.now() < until) {
        // spin
      }
      for (let poll = 0; poll < 1_100; poll++) expect(stream.tryNext()).toBeUndefined();
      expect(heartbeat()).toBeGreaterThan(before);
      // Records taken, then one poll that finds nothing: the position is announced at once.
      for (let i = 0; i < 5; i++) writer.writeValues(round * 5 + i, 1, 1);
      for (let i = 0; i < 5; i++) expect(stream.tryNext()).toBeDefined();
      expect(stream.tryNext()).toBeUndefined();
      expect(ringOf(p, 'idle').readers).toMatchObject([{ sequence: (round + 1) * 5, lagRecords: 0 }]);
    }
    stream.close();
    writer.close();
    p.deleteFeed('idle');
  });

  it('leaves disk feeds without ring status and without a ring readers table', () => {
    const p = t.open();
    p.createFeed(tradeSpec('disk'));
    const reader = p.createReader('disk');
    reader.stream();
    expect(p.feedStatus('disk').ring).toBeUndefined();
    expect(() => slotPids(t.base(), 'disk')).toThrow(/ENOENT/);
    reader.close();
    p.deleteFeed('disk');
  });
});
