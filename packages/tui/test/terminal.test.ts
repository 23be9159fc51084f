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
    // Its own process group, so that a failing run can take script and the dashboard down together.
    const child = spawn(
      'script',
      ['-qfec', `stty cols 80 rows 24; ${process.execPath} ${CLI} --base-path ${base}`, '/dev/null'],
      { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        exitCode = code;
        resolve(code);
      }),
    );
    const until = async (done: () => boolean, every?: () => void) => {
      const deadline = Date.now() + 30_000;
      while (!done() && exitCode === undefined && Date.now() < deadline) {
        every?.();
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      await until(() => plain(output).includes('Storage:'));
      const screen = plain(output);
      expect(screen).toContain(`Deepwater │ ${base}`);
      expect(screen).toMatch(/trades\s+(LIVE|DOWN|IDLE)/);
      // The first frame can come before Ink puts the terminal in raw mode, and a key typed in
      // cooked mode waits for a newline: keep pressing q until the dashboard has exited.
      await until(
        () => exitCode !== undefined,
        () => child.stdin.write('q'),
      );
      expect(await exited).toBe(0);
    } finally {
      if (exitCode === undefined) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
