/** deepwater-ingest as a user runs it: a child process with flags, stdin commands and exit codes. */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedServer } from './helpers/scripted-server.js';

const APP = join(import.meta.dirname, '..');
const CLI = join(APP, 'src/cli.ts');
const FIXTURE = join(import.meta.dirname, '../fixtures/session.jsonl');
let dir: string;
let child: ChildProcessWithoutNullStreams | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dw-test-ingest-cli-'));
});

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    // tsx resolves from the app; relative paths resolve from INIT_CWD (the user's directory).
    cwd: APP,
    env: { ...process.env, INIT_CWD: dir },
  });

describe('deepwater-ingest', () => {
  it.each([
    ['a worker thread', '--replay-thread'],
    ['a child process', '--replay-process'],
  ])(
    'replays a session headless (server in %s) and prints what it stored',
    (_where, flag) => {
      const result = run([
        '--replay',
        FIXTURE,
        flag,
        '--headless',
        '--summary',
        '--log-level',
        'warn',
        '--base-path',
        'data',
      ]);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/CB-TRADES-BTC-USD\s+254\s+254/);
      expect(result.stdout).toMatch(/CB-L2-SOL-USD\s+1873\s+1873/);
      expect(result.stdout).toMatch(/SEQUENCE_GAP\s+missing 485\.\.487/);
      expect(result.stdout).toMatch(/Range query: CB-TRADES-BTC-USD\.range\(\d+, \d+\) → [1-9]\d* trades/);
      expect(result.stdout).toMatch(/Latest 5 trades of BTC-USD/);
      expect(existsSync(join(dir, 'data/manifest.json'))).toBe(true);
    },
    60_000,
  );

  it('rejects a bad --speed naming the value', () => {
    const result = run(['--replay', FIXTURE, '--speed', 'fast']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--speed must be "recorded", "max" or a positive factor, got "fast"/);
  }, 60_000);

  it('rejects a bad product naming it', () => {
    const result = run(['BTCUSD', '--headless']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/"BTCUSD" is not a Coinbase product id/);
  }, 60_000);

  it('reads the Exchange feed into CBX-* feeds with --exchange', async () => {
    const match = (id: number) =>
      JSON.stringify({
        type: 'match',
        trade_id: id,
        sequence: id,
        time: '2024-03-12T14:30:00Z',
        product_id: 'ETH-USD',
        size: '1',
        price: '4000.01',
        side: 'sell',
      });
    const server = await ScriptedServer.start((c) =>
      c.socket.on('message', () => {
        for (const id of [1, 2, 3]) c.socket.send(match(id));
      }),
    );
    try {
      const args = [
        'ETH-USD',
        '--exchange',
        '--url',
        server.url,
        '--headless',
        '--duration',
        '3',
        '--summary',
        '--log-level',
        'warn',
      ];
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--base-path', 'data'], {
        cwd: APP,
        env: { ...process.env, INIT_CWD: dir },
      });
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(server.connections[0].received[0]).toEqual({
        type: 'subscribe',
        product_ids: ['ETH-USD'],
        channels: ['matches', 'level2_batch', 'heartbeat'],
      });
      expect(stdout).toMatch(/CBX-TRADES-ETH-USD\s+3\s+3/);
      expect(stdout).toMatch(/4000\.01/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('exits with an error naming the feed when another process holds its writer', async () => {
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', join(APP, 'test/fixtures/hold-writer.ts'), join(dir, 'data'), 'ETH-USD'],
      {
        cwd: APP,
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk) => String(chunk).includes('holding') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const result = run(['--replay', FIXTURE, '--headless', '--log-level', 'warn', '--base-path', 'data']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/deepwater-ingest: .*CB-TRADES-ETH-USD/);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses --exchange with --replay', () => {
    const result = run(['--exchange', '--replay', FIXTURE]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--replay serves Advanced Trade sessions only/);
  }, 60_000);

  it('takes subscribe, unsubscribe, status, help and stop on stdin', async () => {
    const server = await ScriptedServer.start();
    try {
      child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI,
          'BTC-USD',
          '--url',
          server.url,
          '--base-path',
          'data',
          '--log-level',
          'warn',
        ],
        { cwd: APP, env: { ...process.env, INIT_CWD: dir } },
      );
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
      const waitFor = async (pattern: RegExp) => {
        const deadline = Date.now() + 30_000;
        while (!pattern.test(stdout)) {
          if (Date.now() > deadline) throw new Error(`no ${pattern} in stdout:\n${stdout}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await server.until(() => server.connections[0]?.received.length === 3, 'subscribes', 30_000);
      child.stdin.write('subscribe eth-usd\n');
      await waitFor(/subscribed ETH-USD/);
      await server.until(() => server.connections[0].received.length === 6, 'ETH subscribes');
      child.stdin.write('status\n');
      await waitFor(/products BTC-USD ETH-USD/);
      child.stdin.write('unsubscribe BTC-USD\n');
      await waitFor(/unsubscribed BTC-USD \(writers closed\)/);
      child.stdin.write('frobnicate\n');
      await waitFor(/unknown command "frobnicate"/);
      child.stdin.write('help\n');
      await waitFor(/unsubscribe PRODUCT\.\.\./);
      child.stdin.write('stop\n');
      expect(await exited).toBe(0);
      expect(server.connections[0].received.filter((m) => m.type === 'unsubscribe')).toHaveLength(3);
    } finally {
      await server.close();
    }
  }, 60_000);
});
