import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Platform } from '../../../src/index.js';
import { FEED_SLOT_CAPACITY } from '../../../src/registry/layout.js';
import { cli } from '../../cli/run-cli.js';
import { type TestBase, TRADE_FIELDS, tempBase } from '../helpers/bases.js';
import { feedDir } from '../helpers/corrupt.js';

/** Issue #14 item 11: chunks older than the registry's slot window are reported, never orphaned. */
describe('more chunks than the registry has slots (issue #14 item 11)', () => {
  let base: TestBase | undefined;
  afterEach(() => base?.remove());

  it('repair and health name the unreachable chunk files and leave every one in place', async () => {
    base = tempBase();
    const extra = 5;
    const platform = new Platform(base.path, { logger: false });
    try {
      // One record per chunk: FEED_SLOT_CAPACITY + extra chunk files.
      platform.createFeed({
        feedName: 'trades',
        fields: TRADE_FIELDS,
        tsCol: 'timestamp_us',
        chunkSizeBytes: 24,
      });
      const writer = platform.createWriter('trades');
      for (let i = 0; i < FEED_SLOT_CAPACITY + extra; i++)
        writer.writeValues(i, 1, 1_700_000_000_000_000 + i);
      writer.close();
    } finally {
      platform.close();
    }
    const before = readdirSync(feedDir(base.path)).sort();
    const run = await cli(['repair', '--base-path', base.path, '--all', '--json']);
    expect(run.code).toBe(1);
    const problems = JSON.parse(run.stdout).feeds[0].problems;
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'outside-slot-window',
        severity: 'error',
        message: expect.stringMatching(/^5 chunk file\(s\) \(ids 1\.\.5\)/),
      }),
    ]);
    expect(readdirSync(feedDir(base.path)).sort()).toEqual(before);
    const health = await cli([
      'health',
      '--base-path',
      base.path,
      '--check-feeds',
      '--min-free-gb',
      '0',
      '--max-age-seconds',
      '1e12',
    ]);
    expect(health.stdout).toMatch(/outside|older than the registry's slot window/);
    expect(health.code).toBe(1);
  });
});
