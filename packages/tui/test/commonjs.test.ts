import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The tui is ESM-only (Ink loads yoga-layout with top-level await): require() of it must fail
// with a coded error naming the remedy, and its types must make that use a compile error.
const FIXTURE = fileURLToPath(new URL('./fixtures/require-tui.cjs', import.meta.url));
const CONSUMER = fileURLToPath(new URL('./consumer/', import.meta.url));
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');

describe('CommonJS consumers of the tui', () => {
  it('require() throws ERR_ESM_ONLY naming import(); import() from CommonJS works', () => {
    const run = spawnSync(process.execPath, [FIXTURE], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      refused: {
        deepwater: true,
        code: 'ERR_ESM_ONLY',
        message: expect.stringContaining("use `await import('@deepwater/tui')`"),
      },
      runDashboard: 'function',
    });
  });

  it('the types of require() reject its use; import() is typed (every @ts-expect-error must be an error)', () => {
    const run = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], {
      cwd: CONSUMER,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);
});
