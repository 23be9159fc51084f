import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../src/index.js';
import { type TestBase, tempBase, writeFeed } from '../ops/helpers/bases.js';
import { SDK_ROOT, spawnTs } from '../ops/helpers/child.js';

const CLI = join(SDK_ROOT, 'src/cli');
const NOW = Date.now() * 1000;

describe('the deepwater executables in a real process', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
  });
  afterEach(() => base.remove());

  it('deepwater --help lists every command and the exit codes', async () => {
    const run = await spawnTs(join(CLI, 'main.ts'), ['--help']).exited;
    expect(run.code).toBe(0);
    for (const command of ['feeds', 'describe', 'dump', 'tail', 'health', 'cleanup', 'repair']) {
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 {2}success/);
  });

  it('the seed-named aliases run their command and exit with its code', async () => {
    const missing = await spawnTs(join(CLI, 'deepwater-health.ts'), ['--base-path', join(base.path, 'none')])
      .exited;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    writeFeed(base.path, [NOW]);
    const repair = await spawnTs(join(CLI, 'deepwater-repair.ts'), ['--base-path', base.path, '--all'])
      .exited;
    expect(repair.code).toBe(0);
    expect(repair.stdout).toMatch(/trades: consistent/);
    const cleanup = await spawnTs(join(CLI, 'deepwater-cleanup.ts'), ['--base-path', base.path, '--dry-run'])
      .exited;
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(/nothing expired/);
  });

  it('tail --follow prints new records from another process and exits 0 on SIGINT', async () => {
    writeFeed(base.path, [NOW]);
    const tail = spawnTs(join(CLI, 'main.ts'), [
      'tail',
      'trades',
      '--base-path',
      base.path,
      '--follow',
      '--format',
      'csv',
    ]);
    await tail.output(`0,1,${NOW}\n`);
    const platform = new Platform(base.path);
    const writer = platform.createWriter('trades');
    writer.writeValues(7, 1, NOW + 1);
    writer.close();
    platform.close();
    await tail.output(`7,1,${NOW + 1}\n`);
    tail.process.kill('SIGINT');
    const exit = await tail.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe(`price,size,timestamp_us\n0,1,${NOW}\n7,1,${NOW + 1}\n`);
  });
});
