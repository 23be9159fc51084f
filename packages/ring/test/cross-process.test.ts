import { afterEach, describe, expect, it } from 'vitest';
import { RingLockedError, RingReader, RingWriter } from '../src/index.js';
import { type Child, spawnFixture } from './child.js';
import {
  cleanupRings,
  type DecodedTestRecord,
  decodeTestRecord,
  RECORD_SIZE,
  testRingName,
} from './helpers.js';

const created = new Set<string>();
const children: Child[] = [];
function ringName(label: string): string {
  const name = testRingName(label);
  created.add(name);
  return name;
}
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  cleanupRings(created);
  created.clear();
});

function spawn(fixture: string, args: object): Child {
  const child = spawnFixture(fixture, args);
  children.push(child);
  return child;
}

describe('a writer and readers in separate processes', () => {
  it('delivers every record exactly once and in order to readers that keep up', async () => {
    const name = ringName('xp-exact');
    const count = 200_000;
    // The writer paces itself (~256 records per ms) so a ring of 65,536 records gives the readers
    // ~250 ms of slack: they only lose records if descheduled for that long, which would be a finding.
    const writer = spawn('writer', {
      name,
      capacity: 65_536,
      count,
      maxBatch: 7,
      pauseMs: 1,
      pauseEvery: 256,
      waitForGo: true,
    });
    await writer.next('ready');
    const readers = (['spin', 'block'] as const).map((strategy) =>
      spawn('reader', { name, until: count, strategy, maxRecords: 1024, pauseMs: 0, pauseEvery: 0 }),
    );
    await Promise.all(readers.map((reader) => reader.next('attached')));
    writer.process.stdin?.write('go\n');
    expect((await writer.next('done')).sequence).toBe(count);
    for (const reader of readers) {
      const summary = await reader.next('summary');
      expect(summary).toMatchObject({ received: count, lost: 0, torn: 0, reordered: 0, duplicates: 0 });
      expect(summary.last).toBe(count - 1);
    }
  });

  it('counts the loss of a deliberately slow reader exactly and never returns a torn record', async () => {
    const name = ringName('xp-slow');
    const count = 300_000;
    const writer = spawn('writer', {
      name,
      capacity: 64,
      count,
      maxBatch: 5,
      pauseMs: 0,
      pauseEvery: 0,
      waitForGo: true,
    });
    await writer.next('ready');
    const reader = spawn('reader', {
      name,
      until: count,
      strategy: 'spin',
      maxRecords: 3,
      pauseMs: 1,
      pauseEvery: 300,
    });
    await reader.next('attached');
    writer.process.stdin?.write('go\n');
    await writer.next('done');
    const summary = await reader.next('summary');
    expect(summary.lost).toBeGreaterThan(0);
    expect(count - summary.received).toBe(summary.lost);
    expect(summary).toMatchObject({ torn: 0, reordered: 0, duplicates: 0, position: count });
  });

  it.each(['batch', 'bytes', 'bytes-unaligned', 'records', 'one'] as const)(
    'never returns a torn record while a full-speed writer keeps lapping a 2-slot ring (%s)',
    async (method) => {
      // Every decode races the writer on the same cache line: the per-slot seqlock is all that
      // stands between the reader and mixed bytes.
      const name = ringName(`xp-race-${method}`);
      const count = method === 'batch' || method === 'one' ? 400_000 : 100_000;
      const writer = spawn('writer', {
        name,
        capacity: 2,
        count,
        maxBatch: 3,
        pauseMs: 0,
        pauseEvery: 0,
        waitForGo: true,
        method,
      });
      await writer.next('ready');
      // One reader uses readEach, the other readOne.
      const readers = [false, true].map((one) =>
        spawn('reader', {
          name,
          until: count,
          strategy: 'spin',
          maxRecords: 2,
          pauseMs: 0,
          pauseEvery: 0,
          one,
        }),
      );
      await Promise.all(readers.map((reader) => reader.next('attached')));
      writer.process.stdin?.write('go\n');
      await writer.next('done');
      for (const reader of readers) {
        const summary = await reader.next('summary');
        expect(count - summary.received).toBe(summary.lost);
        expect(summary).toMatchObject({ torn: 0, reordered: 0, duplicates: 0, position: count });
      }
    },
  );

  it('continues the sequence after the writer is killed with SIGKILL and restarted; readers keep going', async () => {
    const name = ringName('xp-kill');
    const first = spawn('writer', {
      name,
      capacity: 1 << 20,
      count: 0,
      maxBatch: 16,
      pauseMs: 1,
      pauseEvery: 500,
      waitForGo: false,
    });
    const { pid } = await first.next('ready');
    using reader = RingReader.open(name, { start: 0 });
    const seen: DecodedTestRecord[] = [];
    while (seen.length < 2_000) {
      reader.waitForRecords({ strategy: 'yield', timeoutMs: 10_000 });
      reader.readEach(decodeTestRecord, seen);
    }
    // The lock is held across processes and names its holder.
    let refused: unknown;
    try {
      RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: 1 << 20, timestampOffset: 0 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RingLockedError);
    expect((refused as RingLockedError).pid).toBe(pid);

    first.process.kill('SIGKILL');
    await first.exited;
    const publishedAtDeath = reader.published();
    const second = spawn('writer', {
      name,
      capacity: 1 << 20,
      count: 1_000,
      maxBatch: 16,
      pauseMs: 0,
      pauseEvery: 0,
      waitForGo: false,
    });
    // A kill between stamping a batch's records and storing PUBLISH leaves whole records above
    // it: the new writer adopts them (at most one batch) instead of reusing their sequences.
    const restartedAt = (await second.next('ready')).sequence;
    expect(restartedAt - publishedAtDeath).toBeGreaterThanOrEqual(0);
    expect(restartedAt - publishedAtDeath).toBeLessThan(16);
    expect((await second.next('done')).sequence).toBe(restartedAt + 1_000);
    while (reader.readEach(decodeTestRecord, seen) > 0) {}
    expect(seen.length).toBe(restartedAt + 1_000);
    expect(seen.every((record, index) => record.intact && record.n === index)).toBe(true);
    expect(reader.stats.lostRecords).toBe(0);
  });
});
