import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Platform } from '@deepwater/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plain } from './fixtures/frames.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
// util-linux `script` gives the CLI a real pseudo-terminal, as a person's terminal would.
const hasScript = spawnSync('script', ['--version']).status === 0;

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dw-test-tui-pty-'));
  const p = new Platform(base);
  p.createFeed({
    feedName: 'trades',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  const w = p.createWriter('trades');
  for (let i = 0; i < 100; i++) w.writeValues(100 + i, Date.now() * 1000);
  p.close();
});
afterEach(() => {
  const p = new Platform(base);
  p.deleteFeed('trades', { missingOk: true });
  p.close();
  rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!hasScript)('deepwater-dashboard in a pseudo-terminal', () => {
  it('draws the base on an 80x24 terminal and exits 0 on q', { timeout: 60_000 }, async () => {
    const child = spawn(
      'script',
      ['-qfec', `stty cols 80 rows 24; ${process.execPath} ${CLI} --base-path ${base}`, '/dev/null'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!plain(output).includes('Storage:') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const screen = plain(output);
    expect(screen).toContain(`Deepwater │ ${base}`);
    expect(screen).toMatch(/trades\s+(LIVE|DOWN|IDLE)/);
    child.stdin.write('q');
    expect(await exited).toBe(0);
  });
});
