import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-program.js';
import { useCli } from './helpers/cli-child.js';
import { TRADES, useBases } from './helpers/feeds.js';
import { type NatsServer, natsServerMissing, startNatsServer } from './helpers/nats-server.js';
import { until } from './helpers/stream-walk.js';

const missing = natsServerMissing();
if (missing !== undefined) console.warn(`skipping deepwater-bridge CLI tests: ${missing}`);

describe.skipIf(missing !== undefined)('deepwater-bridge', () => {
  let server: NatsServer & { dispose(): Promise<void> };
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const bases = useBases();
  const cli = useCli();

  it('prints metrics, keeps a status file, and exits 0 on SIGTERM', async () => {
    const base = bases.base();
    const p = bases.open(base);
    p.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    const writer = p.createWriter('trades');
    const rows: unknown[][] = [];
    for (let i = 0; i < 3000; i++) rows.push([i, 1, 1_700_000_000_000_000 + i]);
    writer.writeBatch(rows);
    const statusFile = join(base, 'replicate.status.json');
    const run = cli([
      'replicate',
      '--server',
      server.url,
      '-b',
      base,
      '--feed',
      'trades',
      '--base-id',
      'cli',
      '--metrics-every',
      '0.1',
      '--status-file',
      statusFile,
    ]);
    const status = () => JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, unknown>;
    await until(
      () => existsSync(statusFile) && status().nextSeq === 3000,
      'the status file to show 3000 records',
    );
    // What the dashboard's BRIDGES view tells a running, a stopped and a dead bridge apart by.
    expect(status()).toMatchObject({ state: 'running', pid: run.process.pid, statusEveryMs: 1000 });
    run.process.kill('SIGTERM');
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /replicate trades ⇄ DW_CLI_TRADES: next seq 3000, .* rec\/s, behind 0 records/,
    );
    expect(status()).toMatchObject({
      role: 'replicate',
      feed: 'trades',
      stream: 'DW_CLI_TRADES',
      records: 3000,
      recordsBehind: 0,
      caughtUp: true,
      reconnects: 0,
      state: 'stopped',
    });
    writer.close();
  });

  it('exits 2 naming the feed when it does not exist, and 0 for --help', async () => {
    const base = bases.base();
    bases.open(base);
    const run = cli(['replicate', '--server', server.url, '-b', base, '--feed', 'nope']);
    const result = await run.exited;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"nope"/);
    const help = await cli(['--help']).exited;
    expect(help.code).toBe(0);
  });

  it('mirror --on-gap throw exits 2 with ERR_BRIDGE_GAP on records the stream lacks; a bad value is refused', async () => {
    const sourceBase = bases.base();
    const p = bases.open(sourceBase);
    p.createFeed({
      feedName: 'ring',
      fields: TRADES,
      tsCol: 'timestamp_us',
      persist: false,
      chunkSizeBytes: 2400,
    });
    const writer = p.createWriter('ring');
    let written = 0;
    const write = (count: number) => {
      for (let i = 0; i < count; i++, written++)
        writer.writeTuple([written, 1, 1_700_000_000_000_000 + written]);
    };
    const quiet = { out: () => {}, err: () => {} };
    const replicate = ['replicate', '--server', server.url, '-b', sourceBase, '--feed', 'ring'];
    const untilCaughtUp = [...replicate, '--base-id', 'gap', '--stream', 'CLI_GAP', '--until-caught-up'];
    write(50);
    expect(await runCli(untilCaughtUp, quiet)).toBe(0);
    write(2000); // the ring laps: seqs from 50 on are gone before the bridge runs again
    expect(await runCli(untilCaughtUp, quiet)).toBe(0);
    writer.close();

    const errors: string[] = [];
    const mirror = [
      'mirror',
      '--server',
      server.url,
      '-b',
      bases.base(),
      '--feed',
      'copy',
      '--stream',
      'CLI_GAP',
    ];
    const code = await runCli([...mirror, '--on-gap', 'throw'], {
      out: () => {},
      err: (s) => errors.push(s),
    });
    expect({ code, error: errors.at(-1) }).toMatchObject({
      code: 2,
      error: expect.stringContaining('ERR_BRIDGE_GAP'),
    });

    const refused: string[] = [];
    const bad = await runCli([...mirror, '--on-gap', 'ignore'], {
      out: () => {},
      err: (s) => refused.push(s),
    });
    expect(bad).toBe(2);
    expect(refused.join('')).toMatch(/--on-gap.*'skip' or 'throw'/s);
  });

  it('--version prints the package version and exits 0', async () => {
    const printed: string[] = [];
    const code = await runCli(['--version'], { out: (s) => printed.push(s), err: (s) => printed.push(s) });
    expect({ code, printed }).toEqual({
      code: 0,
      printed: [JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version],
    });
  });
});
