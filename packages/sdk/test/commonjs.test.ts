import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

// require() of the built packages from a .cjs file, as a CommonJS application does (the published
// exports' `require` condition; Node >= 20.19 requires ESM). The types side is test/consumer/require.cts.
const FIXTURE = fileURLToPath(new URL('./fixtures/require-all.cjs', import.meta.url));

describe('CommonJS consumers', () => {
  const { base } = useTempBase();

  it('require() every library package and round-trip records through the sdk', () => {
    const run = spawnSync(process.execPath, [FIXTURE, base()], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      rows: [
        [1.5, 10],
        [2.5, 20],
      ],
      code: 'ERR_WRITER_LOCKED',
      exports: { sdk: 'function', ring: 'function', schema: 'function', native: 'function', errors: true },
    });
  });
});
