// A caller's scan() loop is not deoptimised by the scan's own slow paths (the first bind, a chunk
// hop, the end). V8 gives a function its feedback vector only after its first few calls, and a
// scan takes those paths once per chunk: the caller's loop was optimised with no feedback for them
// and deoptimised at the first chunk hop and at the end ("Insufficient type feedback"), falling
// back each time to code that boxes every double a getter returns (the heap growth of the bench's
// scan row). Nor by code the scan calls per chunk (the chunk cache, lend()), which reaches the
// loop only if inlined into it. Checked with V8's own deopt trace of a child process; compilation
// made synchronous (--no-concurrent-recompilation) so the loop is optimised at the same point on
// every run. Judged on every Node: Node 22's V8 deoptimised the loop at a binary operation of the
// view's bind() (its alignment check, inlined through next() with no feedback for it), until the
// hops moved into a generator (record-scan.ts hopsOf).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deoptsOf } from './helpers/deopts.js';
import { useTempBase } from './helpers/temp-base.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/scan-loop.ts', import.meta.url));
const t = useTempBase();
describe('scan() in a caller loop', () => {
  it('never deoptimises the loop for lack of feedback in the scan itself', { timeout: 60_000 }, () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--expose-gc',
        '--trace-deopt-verbose',
        '--no-concurrent-recompilation',
        FIXTURE,
        t.base(),
      ],
      { encoding: 'utf8', timeout: 55_000, maxBuffer: 256 * 1024 * 1024 },
    );
    expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    // Anywhere in a line: V8 writes its trace to stdout unsynchronised with console.log.
    const result = /\{"counts":\[[0-9,]*\]\}/.exec(run.stdout)?.[0];
    expect(JSON.parse(result as string)).toEqual({ counts: [400_000, 400_000, 400_000, 400_000, 400_000] });
    // The fixture's loop (scanAll) deoptimised at a position in the sdk's code inlined into it.
    const inScan = deoptsOf(run.stdout).filter(
      (d) =>
        d.reason.startsWith('Insufficient type feedback') && d.fn === 'scanAll' && d.at.includes('/src/'),
    );
    expect(inScan).toEqual([]);
  });
});
