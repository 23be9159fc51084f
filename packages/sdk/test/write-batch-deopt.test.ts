// A bulk load's writeBatch calls stay in optimised code. V8 compiles a long batch's loop on the
// stack (OSR) during the first call, when the code after the loop has not run yet and has no type
// feedback; with that code in writeBatch itself (its #publishAll), the OSR code deoptimised at the
// end of every call that entered it, and each finished in the interpreter (200 of 200 calls here,
// 1 run in 4 of the bench's fill with concurrent OSR: ~10 against ~16 M rec/s). Checked with V8's
// own deopt trace of a child process, OSR made synchronous so it happens at the same point.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deoptsOf } from './helpers/deopts.js';
import { useTempBase } from './helpers/temp-base.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/write-batch-loop.ts', import.meta.url));
const t = useTempBase();

describe('writeBatch in a bulk load', () => {
  it('is not deoptimised call after call for lack of feedback after its loop', { timeout: 60_000 }, () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--trace-deopt', '--no-concurrent-osr', FIXTURE, t.base()],
      { encoding: 'utf8', timeout: 55_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    const result = /\{"records":[0-9]+\}/.exec(run.stdout)?.[0];
    expect(JSON.parse(result as string)).toEqual({ records: 2_000_000 });
    // A few deopts while V8 learns the code are normal; one per call is the defect.
    const inWriter = deoptsOf(run.stdout).filter((d) => d.fn === 'writeBatch' || d.fn === '#encodeRows');
    expect(inWriter.length).toBeLessThan(10);
  });
});
