import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../src/index.js';
import { SDK_ROOT, spawnTs } from '../ops/helpers/child.js';

const MAIN = join(SDK_ROOT, 'src/cli/main.ts');
// The sdk does not depend on @deepwater/arrow (arrow depends on the sdk); from arrow's own folder
// the package resolves (self-reference), as it would from an application that installed both.
const ARROW_ROOT = join(SDK_ROOT, '../arrow');

describe('deepwater export / import', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dw-test-export-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says to install @deepwater/arrow when it cannot be found', async () => {
    const run = await spawnTs(
      MAIN,
      ['export', 'trades', '--format', 'csv', '--out', 'x.csv'],
      { NODE_PATH: '' },
      dir,
    ).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'install @deepwater/arrow to export and import Parquet, Arrow and CSV files',
    );
  });

  it('runs deepwater-arrow export from @deepwater/arrow when it is installed', async () => {
    const platform = new Platform(dir);
    platform.createFeed({
      feedName: 'trades',
      fields: [
        { name: 'price', type: 'float64' },
        { name: 'ts', type: 'uint64' },
      ],
      tsCol: 'ts',
    });
    const writer = platform.createWriter('trades');
    writer.writeValues(1.5, 10);
    writer.close();
    platform.close();
    const out = join(dir, 'trades.csv');
    const run = await spawnTs(
      MAIN,
      ['export', 'trades', '--format', 'csv', '--out', out, '--base-path', dir],
      {},
      ARROW_ROOT,
    ).exited;
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('exported 1 records of "trades"');
    expect(run.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
