// Issue #13 item 4: ~600 readers over a 100-chunk feed each cached up to 256 mappings, until mmap
// failed (ENOMEM) and the next allocation aborted the process (std::bad_alloc). Chunk mappings are
// now one budget shared by every reader of the process: thousands of readers re-map more often,
// and the number of mappings stays within the budget.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/many-readers.ts', import.meta.url));
const t = useTempBase();

describe('many readers over many chunks', () => {
  it('2,000 open readers over 100 chunks share a budget of 64 chunk mappings, and read every record', () => {
    const [readers, chunks, budget] = [2000, 100, 64];
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', FIXTURE, t.base(), String(readers), String(chunks), String(budget)],
      { encoding: 'utf8', timeout: 110_000 },
    );
    expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    const outcome = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    // Without sharing, each open reader keeps its own 3+ chunks mapped: 6,000 mappings.
    expect(outcome).toEqual({
      records: 2 * readers * 3 * 256,
      wrong: 0,
      peak: expect.any(Number),
      afterClose: 0,
    });
    expect(outcome.peak).toBeLessThanOrEqual(budget);
  });
});
