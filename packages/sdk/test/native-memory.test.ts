// Issue #13 item 5: native memory grew with every reader/writer open+close and range(). 8,000 such
// cycles in a child process (after a warm-up that sizes V8's heap and malloc's arenas) must leave
// anonymous RSS, measured after gc(), within a generous 8 MiB.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/open-close-cycles.ts', import.meta.url));
const t = useTempBase();

describe('native memory across open/close cycles', () => {
  it('stays flat over 8,000 writer and reader open/close + range() cycles', { timeout: 300_000 }, () => {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', FIXTURE, t.base(), '8000'], {
      encoding: 'utf8',
      timeout: 290_000,
    });
    expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    const growth = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    console.log('anonymous RSS growth over 8,000 cycles (KiB):', growth);
    expect(growth.anonGrowthKiB).toBeLessThan(8 * 1024);
  });
});
