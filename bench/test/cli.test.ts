import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The built CLI, as `pnpm bench` runs it (turbo builds bench before its tests).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-test-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('bench CLI', () => {
  it('runs the raw ping-pong baseline, prints the table and writes the JSON results', () => {
    const json = path.join(dir, 'raw.json');
    const run = runCli(['--quick', '--only', 'baseline.raw', '--json', json]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('raw C ping-pong');
    expect(run.stdout).toMatch(/machine: .*cores.*Node v\d+/);
    const results = JSON.parse(readFileSync(json, 'utf8'));
    expect(results.command).toContain('--only baseline.raw');
    const [raw] = results.rows;
    expect(raw.id).toBe('baseline.raw-c');
    expect(raw.metric.reps).toHaveLength(results.profile.reps);
    // Capped by iterations or by pingPongSeconds on a busy machine, whichever comes first.
    expect(raw.metric.reps[0].count).toBeGreaterThan(0);
    expect(raw.metric.reps[0].count).toBeLessThanOrEqual(results.profile.pingPongIterations);
  });

  it('exits 1 with --check when a target falls short, naming it', () => {
    const targets = path.join(dir, 'targets.json');
    writeFileSync(
      targets,
      JSON.stringify({
        targets: [
          {
            id: 'impossible',
            source: 'test',
            text: 'one-way under a picosecond',
            row: 'baseline.raw-c',
            stat: 'p50',
            max: 0,
          },
        ],
      }),
    );
    const run = runCli([
      '--quick',
      '--check',
      '--only',
      'baseline.raw',
      '--targets',
      targets,
      '--json',
      path.join(dir, 'c.json'),
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAIL  impossible');
    expect(run.stdout).toContain('fall short: impossible');
  });

  it('rejects an unknown flag with the usage text and exit code 2', () => {
    const run = runCli(['--fast']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown argument "--fast"');
    expect(run.stderr).toContain('usage: pnpm bench');
  });
});
