import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SDK_ROOT, spawnTs } from '../ops/helpers/child.js';

const MAIN = join(SDK_ROOT, 'src/cli/main.ts');
// The sdk does not depend on @deepwater/tui (the tui depends on the sdk); from the tui's own folder
// the package resolves (self-reference), as it would from an application that installed both.
const TUI_ROOT = join(SDK_ROOT, '../tui');

describe('deepwater dashboard', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dw-test-dashboard-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says to install @deepwater/tui when it cannot be found', async () => {
    // vitest's NODE_PATH reaches pnpm's store, where every workspace package is visible.
    const run = await spawnTs(MAIN, ['dashboard', '--base-path', dir], { NODE_PATH: '' }, dir).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('install @deepwater/tui to use the dashboard');
  });

  it('loads @deepwater/tui from the current directory and runs it on the base path', async () => {
    // A missing base is refused by the tui's runDashboard itself: proof it was loaded and called.
    const missing = join(dir, 'no-such-base');
    const run = await spawnTs(MAIN, ['dashboard', '--base-path', missing], {}, TUI_ROOT).exited;
    expect(run.stderr).toContain(`No Deepwater base at ${missing}`);
    expect(run.code).toBe(2);
  });

  it('is listed in deepwater --help', async () => {
    const run = await spawnTs(MAIN, ['--help'], {}, dir).exited;
    expect(run.stdout).toMatch(/\n {2}dashboard \[options\] +live terminal dashboard[\s\S]*?@deepwater\/tui/);
  });
});
