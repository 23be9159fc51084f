import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../src/index.js';
import { CHUNK_REMOVED } from '../../src/registry/layout.js';
import { cli } from '../cli/run-cli.js';
import { HOUR_US, readAll, secondsApart, type TestBase, tempBase, writeFeed } from './helpers/bases.js';
import { spawnTs } from './helpers/child.js';
import { chunkPath, withRegistry } from './helpers/corrupt.js';
import { writeFakeCrontab } from './helpers/fake-crontab.js';

const NOW = Date.now() * 1000;
const OLD = 100 * HOUR_US;

interface CleanupJson {
  basePath: string;
  dryRun: boolean;
  nowUs: number;
  deletedChunks: number;
  bytesFreed: number;
  feeds: {
    feed: string;
    retentionHours: number;
    cutoffUs: number | null;
    chunks: number;
    decisions: { chunkId: number; action: string; reason?: string; note?: string; lastTs: number | null }[];
  }[];
}

async function cleanup(base: string, ...args: string[]) {
  const run = await cli(['cleanup', '--base-path', base, '--json', ...args], { nowUs: NOW });
  return { ...run, report: JSON.parse(run.stdout) as CleanupJson };
}

/** Every file under `dir` with its size and content hash: two equal snapshots mean nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return files;
}

/** 35 records 100 h old (chunks 1-3 full, 5 in chunk 4), then 15 fresh ones (chunk 4 fills, chunk 5). */
function writeAgedFeed(base: string, retentionHours = 72): void {
  writeFeed(base, secondsApart(35, NOW, OLD), { retentionHours });
  writeFeed(base, secondsApart(15, NOW, 60e6), { retentionHours });
}

describe('deepwater cleanup', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
  });
  afterEach(() => base.remove());

  it('deletes exactly the chunks whose newest record is older than the retention', async () => {
    writeAgedFeed(base.path);
    const { code, report } = await cleanup(base.path);
    expect(code).toBe(0);
    expect(report.deletedChunks).toBe(3);
    expect(report.feeds[0]).toMatchObject({
      feed: 'trades',
      retentionHours: 72,
      cutoffUs: NOW - 72 * HOUR_US,
      chunks: 5,
    });
    expect(report.feeds[0].decisions.map((d) => [d.chunkId, d.action])).toEqual([
      [1, 'deleted'],
      [2, 'deleted'],
      [3, 'deleted'],
    ]);
    expect([1, 2, 3, 4, 5].map((id) => existsSync(chunkPath(base.path, id)))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    withRegistry(base.path, (r) => {
      expect([1, 2, 3].map((id) => r.chunk(id)?.state)).toEqual([
        CHUNK_REMOVED,
        CHUNK_REMOVED,
        CHUNK_REMOVED,
      ]);
      expect(r.firstChunkId()).toBe(4);
    });
    // Chunk 4 mixes 5 old and 5 fresh records: it is not expired, so all 20 remaining records stay.
    expect(readAll(base.path).length).toBe(20);
    expect((await cleanup(base.path)).report.deletedChunks).toBe(0);
  });

  it('logs every deletion to <base>/deepwater.log', async () => {
    writeAgedFeed(base.path);
    await cleanup(base.path);
    const lines = readFileSync(join(base.path, 'deepwater.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.msg === 'retention: deleted expired chunk').map((l) => l.chunkId)).toEqual([
      1, 2, 3,
    ]);
  });

  it('--dry-run reports what would go and changes nothing on disk', async () => {
    writeAgedFeed(base.path);
    const before = snapshot(base.path);
    const { code, report, stdout } = await cleanup(base.path, '--dry-run');
    expect(code).toBe(0);
    expect(report.dryRun).toBe(true);
    expect(report.feeds[0].decisions.map((d) => [d.chunkId, d.action])).toEqual([
      [1, 'would-delete'],
      [2, 'would-delete'],
      [3, 'would-delete'],
    ]);
    expect(stdout).not.toContain('"deleted"');
    expect(snapshot(base.path)).toEqual(before);
    const human = await cli(['cleanup', '--base-path', base.path, '--dry-run'], { nowUs: NOW });
    expect(human.stdout).toMatch(/would delete {2}chunk 1 /);
    expect(human.stdout).toMatch(/dry run: would delete 3 chunk\(s\), .*; nothing changed/);
    expect(snapshot(base.path)).toEqual(before);
  });

  it('keeps everything when retentionHours is 0', async () => {
    writeAgedFeed(base.path, 0);
    const { report } = await cleanup(base.path);
    expect(report.deletedChunks).toBe(0);
    expect(report.feeds[0].cutoffUs).toBeNull();
    expect(readAll(base.path).length).toBe(50);
  });

  it('never deletes the newest chunk, even when every record in it is expired', async () => {
    writeFeed(base.path, secondsApart(25, NOW, OLD));
    const { report } = await cleanup(base.path);
    expect(report.feeds[0].decisions.map((d) => [d.chunkId, d.action, d.reason])).toEqual([
      [1, 'deleted', undefined],
      [2, 'deleted', undefined],
      [3, 'kept', 'active-chunk'],
    ]);
    expect(readAll(base.path).length).toBe(5);
  });

  it('keeps the chunk a live reader in another process is in, and everything after it', async () => {
    writeAgedFeed(base.path);
    // Park a reader on the first record of chunk 2 (records 10..19).
    const startTs = secondsApart(35, NOW, OLD)[10];
    const reader = spawnTs('positioned-reader.ts', [base.path, 'trades', startTs]);
    expect(await reader.line('ready')).toEqual({ ready: true, firstTs: startTs });

    const { report } = await cleanup(base.path);
    expect(report.feeds[0].decisions).toEqual([
      expect.objectContaining({ chunkId: 1, action: 'deleted' }),
      expect.objectContaining({
        chunkId: 2,
        action: 'kept',
        reason: 'live-reader',
        note: `reader pid ${reader.process.pid} is positioned at chunk 2`,
      }),
    ]);
    expect(existsSync(chunkPath(base.path, 2))).toBe(true);

    // The reader still reads every record after its position: 9 more in chunk 2, then 30.
    reader.process.stdin?.write('go\n');
    expect(await reader.line('rest')).toEqual({ rest: 39, lastTs: secondsApart(15, NOW, 60e6)[14] });
    await reader.exited;

    // Once it is gone, the rest of the expired chunks go too.
    expect((await cleanup(base.path)).report.feeds[0].decisions.map((d) => d.chunkId)).toEqual([2, 3]);
  });

  it('keeps every chunk for a reader that was opened on the empty feed and has not read yet', async () => {
    writeFeed(base.path, []);
    const platform = new Platform(base.path);
    try {
      // Positioned before chunk 1 exists: every chunk the writer creates is still ahead of it.
      const stream = platform.createReader('trades').stream({ start: 0 });
      writeAgedFeed(base.path);
      const { report } = await cleanup(base.path);
      expect(report.deletedChunks).toBe(0);
      expect(report.feeds[0].decisions[0]).toMatchObject({
        chunkId: 1,
        action: 'kept',
        reason: 'live-reader',
      });
      const seen: number[] = [];
      for (const [price] of stream) {
        seen.push(price as number);
        if (seen.length === 50) break;
      }
      expect(seen).toEqual([...Array(35).keys(), ...Array(15).keys()]);
    } finally {
      platform.close();
    }
  });

  it('exits 2 and creates nothing for a missing base', async () => {
    const missing = join(base.path, 'nope');
    const run = await cli(['cleanup', '--base-path', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not exist/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('deepwater cleanup --install-cron / --uninstall-cron', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
  });
  afterEach(() => base.remove());

  it('installs idempotently, shows each change, and uninstalls, through DEEPWATER_CRONTAB_CMD', async () => {
    const fake = writeFakeCrontab(base.path);
    const env = { DEEPWATER_CRONTAB_CMD: fake.command };
    const data = join(base.path, 'data');
    const install = await cli(['cleanup', '--base-path', data, '--install-cron', '--interval', '10'], {
      env,
    });
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(
      /^installed crontab entry:\n {2}\+ \*\/10 \* \* \* \* .* cleanup --base-path '.*\/data'/,
    );
    expect(readFileSync(fake.table, 'utf8')).toContain(`# deepwater-cleanup base=${data}`);

    const again = await cli(
      ['cleanup', '--base-path', data, '--install-cron', '--interval', '10', '--json'],
      { env },
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ action: 'unchanged' });

    const changed = await cli(['cleanup', '--base-path', data, '--install-cron', '--interval', '30'], {
      env,
    });
    expect(changed.stdout).toMatch(/^updated crontab entry:\n {2}- \*\/10 .*\n {2}\+ \*\/30 /);

    const removed = await cli(['cleanup', '--base-path', data, '--uninstall-cron'], { env });
    expect(removed.stdout).toMatch(/^removed crontab entry:\n {2}- \*\/30 /);
    expect(readFileSync(fake.table, 'utf8')).toBe('');
    const absent = await cli(['cleanup', '--base-path', data, '--uninstall-cron'], { env });
    expect(absent.stdout).toMatch(/nothing changed/);
  });

  it('reports a crontab that cannot be run with exit 2', async () => {
    const run = await cli([
      'cleanup',
      '--install-cron',
      '--crontab-command',
      join(base.path, 'missing-crontab'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot run .*missing-crontab -l.*ENOENT/);
  });
});
