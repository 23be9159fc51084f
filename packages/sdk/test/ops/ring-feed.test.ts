import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../src/index.js';
import { ringShmName } from '../../src/ring/index.js';
import { cli } from '../cli/run-cli.js';
import { type TestBase, tempBase } from './helpers/bases.js';

const FEED = 'dw-test-ops-ring';
const NOW = Date.now() * 1000;

describe('operations on a ring feed (persist: false)', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    const platform = new Platform(base.path);
    platform.createFeed({
      feedName: FEED,
      persist: false,
      fields: [
        { name: 'price', type: 'float64' },
        { name: 'ts', type: 'uint64' },
      ],
      tsCol: 'ts',
      chunkSizeBytes: 1600, // 100 records of 16 bytes: the writer wraps
    });
    const writer = platform.createWriter(FEED);
    for (let i = 0; i < 250; i++) writer.writeValues(i, NOW - 250 + i);
    writer.close();
    platform.close();
  });
  afterEach(() => {
    // deleteFeed unlinks the ring's shared memory.
    const platform = new Platform(base.path);
    platform.deleteFeed(FEED, { missingOk: true });
    platform.close();
    expect(existsSync(`/dev/shm/${ringShmName(base.path, FEED)}`)).toBe(false);
    base.remove();
  });

  it('feeds reports what the ring holds now', async () => {
    const [row] = JSON.parse((await cli(['feeds', '--base-path', base.path, '--json'])).stdout);
    expect(row).toMatchObject({ name: FEED, persist: false, chunkCount: 0, lastTs: NOW - 1 });
    expect(row.records).toBe(row.ring.recordsHeld);
    expect(row.records).toBeGreaterThan(0);
    expect(row.records).toBeLessThan(250);
    expect(row.ring).toMatchObject({ exists: true, recordsWritten: 250 });
  });

  it('health checks ring activity through the ring backend', async () => {
    const args = ['health', '--base-path', base.path, '--check-feeds', '--min-free-gb', '0', '--json'];
    const fresh = await cli(args, { nowUs: NOW + 1e6 });
    expect(fresh.code).toBe(0);
    const stale = await cli([...args, '--max-age-seconds', '60'], { nowUs: NOW + 3600e6 });
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout).checks.find((c: { ok: boolean }) => !c.ok)).toMatchObject({
      check: 'feed-activity',
      feed: FEED,
      reason: 'last write 3600s ago, older than --max-age-seconds 60',
    });
  });

  it('dump and tail read what the ring still holds', async () => {
    const tail = await cli(['tail', FEED, '--base-path', base.path, '-n', '2', '--format', 'csv']);
    expect(tail.stdout).toBe(`price,ts\n248,${NOW - 2}\n249,${NOW - 1}\n`);
    const dump = await cli([
      'dump',
      FEED,
      '--base-path',
      base.path,
      '--from',
      String(NOW - 3),
      '--format',
      'csv',
    ]);
    expect(dump.stdout).toBe(`price,ts\n247,${NOW - 3}\n248,${NOW - 2}\n249,${NOW - 1}\n`);
  });

  it('cleanup and repair leave a ring alone', async () => {
    expect((await cli(['cleanup', '--base-path', base.path])).stdout).toMatch(/nothing expired/);
    expect((await cli(['repair', '--all', '--base-path', base.path])).code).toBe(0);
  });

  it('deleteFeed refuses while a ring writer holds the feed', () => {
    const platform = new Platform(base.path);
    const writer = platform.createWriter(FEED);
    try {
      expect(() => platform.deleteFeed(FEED)).toThrow(
        /already has a writer.*; cannot delete the feed while it is open/,
      );
    } finally {
      writer.close();
      platform.close();
    }
  });
});
