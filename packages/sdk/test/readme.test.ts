import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DEEPWATER_ERROR_CODES } from '@deepwater/errors';
import { describe, expect, it } from 'vitest';

// The README's runnable examples are files under examples/readme/, included verbatim: this checks
// they are still what the README shows, and runs each against the built package.
const SDK = new URL('../', import.meta.url);
const README = readFileSync(new URL('README.md', SDK), 'utf8');

describe.each([
  { file: 'examples/readme/typed-feeds.ts', stdout: 'S 200 bigint\n' },
  { file: 'examples/readme/cancellation.ts', stdout: '2\n' },
  {
    file: 'examples/readme/errors.ts',
    stdout: 'ERR_INVALID_ARGUMENT true price\nERR_WRITER_LOCKED false -\nERR_RING_NOT_FOUND false -\n',
  },
])('README example $file', ({ file, stdout }) => {
  const source = readFileSync(new URL(file, SDK), 'utf8');

  it('is included in the README verbatim', () => {
    expect(README).toContain(`\`${file}\``);
    expect(README).toContain(`\`\`\`ts\n${source}\`\`\``);
  });

  it('runs and prints what its comments say', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: SDK,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(stdout);
    expect(run.status).toBe(0);
  });
});

describe('the README error table', () => {
  it('lists every code of DEEPWATER_ERROR_CODES, each once', () => {
    const table = README.slice(README.indexOf('| code | class (package) |'));
    const rows = [...table.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(rows.slice().sort()).toEqual([...DEEPWATER_ERROR_CODES].sort());
  });
});

// The Positions section shows an excerpt of examples/positions/resume.ts: every line of the
// excerpt is in the file, and the file resumes exactly after its checkpoint.
describe('README example examples/positions/resume.ts', () => {
  const file = 'examples/positions/resume.ts';

  it('holds every line of the README excerpt', () => {
    const intro = README.indexOf(`\`${file}\``);
    expect(intro).toBeGreaterThan(0);
    const start = README.indexOf('```ts\n', intro) + '```ts\n'.length;
    const excerpt = README.slice(start, README.indexOf('```', start)).trimEnd().split('\n');
    const lines = new Set(
      readFileSync(new URL(file, SDK), 'utf8')
        .split('\n')
        .map((line) => line.trim()),
    );
    for (const line of excerpt) expect(lines, line).toContain(line.trim());
  });

  it('runs and resumes at seq 6 after a checkpoint at seq 5', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: SDK,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('handled price 105 (seq 5)\nresumed: price 106 (seq 6)\n');
    expect(run.stdout).toContain('next seq: 10; first seq at t0+1: 4\nseqs 2..5: [ 102, 103, 104 ]\n');
  });
});
