import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The built file is what `deepwater-dashboard` runs (the package's test task builds it first).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: '', ...env },
    timeout: 30_000,
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dw-test-tui-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Each test spawns the built CLI: as long as its spawn timeout, for a loaded machine (a start takes 5 s at load 16).
describe('deepwater-dashboard', { timeout: 30_000 }, () => {
  it('is built as an executable script with a node shebang', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('exits 2 with a clear message for a base path that does not exist, and creates nothing', () => {
    const missing = join(dir, 'data');
    const result = runCli(['--base-path', missing]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `deepwater-dashboard: No Deepwater base at ${missing}: the directory does not exist`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('resolves a relative base path from where the user ran pnpm (INIT_CWD), not the package folder', () => {
    const result = runCli(['--base-path', 'data'], { INIT_CWD: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`No Deepwater base at ${join(dir, 'data')}`);
  });

  it('rejects a malformed option naming it and the value', () => {
    const result = runCli(['--base-path', dir, '--refresh-hz', 'fast']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--refresh-hz must be a positive number, got "fast"');
  });

  it('defaults to ./data like `deepwater`', () => {
    const result = runCli([], { INIT_CWD: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`No Deepwater base at ${join(dir, 'data')}`);
  });

  it('prints its version', () => {
    const result = runCli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(PACKAGE_VERSION);
  });
});
