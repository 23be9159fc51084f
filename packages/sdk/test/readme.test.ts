import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README's runnable examples are files under examples/readme/, included verbatim: this checks
// they are still what the README shows, and runs each against the built package.
const SDK = new URL('../', import.meta.url);
const README = readFileSync(new URL('README.md', SDK), 'utf8');

describe.each([
  { file: 'examples/readme/typed-feeds.ts', stdout: 'S 200 bigint\n' },
  { file: 'examples/readme/cancellation.ts', stdout: '2\n' },
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
