import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../../examples/positions/resume.ts', import.meta.url));

describe('the README positions example (examples/positions/resume.ts)', () => {
  it('resumes exactly after its checkpoint, inside a run of equal timestamps', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', example], { encoding: 'utf8' });
    expect(out).toContain('handled price 105 (seq 5)\nresumed: price 106 (seq 6)\n');
    expect(out).toContain('resumed: price 109 (seq 9)\nnext seq: 10; first seq at t0+1: 4\n');
    expect(out).toContain('seqs 2..5: [ 102, 103, 104 ]');
  });
});
