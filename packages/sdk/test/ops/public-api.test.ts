import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { CleanupReport, FeedScanResult, HealthReport, RepairReport } from '../../src/index.js';
import * as sdk from '../../src/index.js';
import { type TestBase, tempBase, writeFeed } from './helpers/bases.js';

// Applications run the ops library programmatically, so it must be reachable from the package entry.
describe('ops library from the package entry', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, [1, 2, 3]);
  });
  afterEach(() => base.remove());

  it('exports checkHealth, runCleanup, runRepair and scanFeed that work on a real base', () => {
    const health = sdk.checkHealth(base.path, { minFreeGb: 0 });
    expectTypeOf(health).toEqualTypeOf<HealthReport>();
    expect(health.checks.find((c) => c.check === 'registry')?.ok).toBe(true);

    const cleanup = sdk.runCleanup(base.path, { dryRun: true });
    expectTypeOf(cleanup).toEqualTypeOf<CleanupReport>();
    expect(cleanup.feeds.map((f) => f.feed)).toEqual(['trades']);

    const repair = sdk.runRepair(base.path, { dryRun: true });
    expectTypeOf(repair).toEqualTypeOf<RepairReport>();
    expect(repair.problems).toBe(0);

    const scan = sdk.scanFeed(base.path, 'trades');
    expectTypeOf(scan).toEqualTypeOf<FeedScanResult>();
    expect(scan.recordsScanned).toBe(3);
  });

  it('exports the file logger pair', async () => {
    const logger = sdk.createFileLogger(base.path);
    logger.info({ event: 'hello' }, 'from the package entry');
    await sdk.closeFileLogger(logger);
    expect(typeof sdk.BaseUnavailableError).toBe('function');
  });
});
