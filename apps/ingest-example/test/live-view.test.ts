/**
 * `pnpm demo -- --live-view` under a real terminal (a pty from `script`, or a tmux pane): the dashboard
 * shows the replay's feeds LIVE with a non-zero record rate while it runs, and everything ends by
 * itself when the session does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const DASHBOARD = join(APP_DIR, '../../packages/tui/dist/cli.js');
const DEMO = join(APP_DIR, 'src/demo.ts');
const TSX = import.meta.resolve('tsx/esm');

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const terminal = has('script') ? 'script' : has('tmux') ? 'tmux' : null;
const skipReason =
  terminal === null
    ? 'neither script(1) nor tmux is installed: no terminal to run the dashboard in'
    : !existsSync(DASHBOARD)
      ? `the dashboard is not built (${DASHBOARD}): pnpm --filter @deepwater/tui... build`
      : null;
if (skipReason !== null) console.log(`live-view test skipped: ${skipReason}`);

const dir = mkdtempSync(join(tmpdir(), 'dw-test-live-view-'));
const TMUX_SESSION = `dw-live-view-${process.pid}`;
afterAll(() => {
  if (terminal === 'tmux') spawn('tmux', ['kill-session', '-t', TMUX_SESSION], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
});

const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[a-zA-Z]`, 'g');
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs a command in a 120x40 terminal; resolves with everything it drew and its exit code. */
function inTerminal(command: string): Promise<{ screen: string; code: number | null }> {
  if (terminal === 'script') {
    const log = join(dir, 'typescript');
    const shell = `stty cols 120 rows 40; ${command}`;
    return new Promise((resolve) => {
      const child = spawn('script', ['-qfec', shell, log], { stdio: 'ignore' });
      child.once('exit', (code) => resolve({ screen: readFileSync(log, 'utf8'), code }));
    });
  }
  // tmux: a detached 120x40 session; the pane is captured until the command has ended.
  const session = TMUX_SESSION;
  const done = join(dir, 'exit-code');
  execFileSync('tmux', [
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '120',
    '-y',
    '40',
    `${command}; echo $? > ${quote(done)}`,
  ]);
  return new Promise((resolve) => {
    let screen = '';
    const timer = setInterval(() => {
      try {
        screen += execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      } catch {
        // the session ended between two captures
      }
      if (existsSync(done)) {
        clearInterval(timer);
        spawn('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
        resolve({ screen, code: Number(readFileSync(done, 'utf8')) });
      }
    }, 250);
  });
}

describe.skipIf(skipReason !== null)('pnpm demo -- --live-view', () => {
  it('shows the replay live in the dashboard, with a non-zero rate, and ends by itself', {
    timeout: 120_000,
  }, async () => {
    const base = join(dir, 'data');
    // Paced 2x faster than recorded (~12 s) to keep the test short; the pacing is the same code.
    const command = [
      process.execPath,
      '--import',
      TSX,
      DEMO,
      '--live-view',
      '--base-path',
      base,
      '--speed',
      '4',
    ]
      .map(quote)
      .join(' ');
    const { screen, code } = await inTerminal(command);
    const text = screen.replace(ANSI_ESCAPE, '').replaceAll('\r', '\n');
    expect(code, text.slice(-2000)).toBe(0);
    const rates = [...text.matchAll(/CB-L2-BTC-USD\s+LIVE\s+([0-9.]+)\s*k?\/s/g)].map((m) => Number(m[1]));
    expect(
      rates.some((rate) => rate > 0),
      `no non-zero REC/S for CB-L2-BTC-USD in:\n${text.slice(-3000)}`,
    ).toBe(true);
    expect(text).toMatch(/Live view ended: \d+ messages replayed/);
  });
});
