import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The published declarations (dist/*.d.ts, built by `pnpm build`) as a consumer compiles them:
// lib es2022 alone (the declarations reference esnext.disposable themselves), skipLibCheck off,
// with and without @types/node.
const CONSUMER = fileURLToPath(new URL('./consumer/', import.meta.url));
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');

function tsc(...args: string[]) {
  const run = spawnSync(process.execPath, [TSC, ...args], {
    cwd: CONSUMER,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the published types, compiled by a consumer', () => {
  it('type typed feeds from the schema (every @ts-expect-error must be an error), without @types/node or pino', () => {
    const run = tsc('-p', 'tsconfig.json', '--listFiles');
    expect(run.output).not.toMatch(/error TS/);
    expect(run.status).toBe(0);
    expect(run.output).toContain('typed-feeds.ts');
    expect(run.output).not.toMatch(/@types\/node|pino/);
  });

  it('type-check with @types/node too', () => {
    const run = tsc('-p', 'tsconfig.node.json');
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
  });
});
