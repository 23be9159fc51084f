import { existsSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { secondsApart, type TestBase, tempBase, writeFeed } from './helpers/bases.js';
import { chunkPath, feedDir, withRegistry } from './helpers/corrupt.js';

// Real time: the writer stamps its last append with the wall clock, and health compares against it.
const NOW = Date.now() * 1000;
const HOUR_LATER = NOW + 3600e6;

interface HealthJson {
  healthy: boolean;
  basePath: string;
  checkedAtUs: number;
  checks: { check: string; ok: boolean; feed?: string; reason: string; details?: Record<string, unknown> }[];
}

async function health(base: string, ...args: string[]) {
  return healthAt(NOW, base, ...args);
}

async function healthAt(nowUs: number, base: string, ...args: string[]) {
  const run = await cli(
    ['health', '--base-path', base, '--check-feeds', '--min-free-gb', '0', '--json', ...args],
    {
      nowUs,
    },
  );
  return { ...run, report: JSON.parse(run.stdout) as HealthJson };
}

const failing = (report: HealthJson) => report.checks.filter((c) => !c.ok);

describe('deepwater health', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, secondsApart(35, NOW, 10e6)); // 4 chunks, newest record 10 s ago
  });
  afterEach(() => base.remove());

  it('exits 0 on a healthy base and lists every check with documented fields', async () => {
    const { code, report } = await health(base.path);
    expect(code).toBe(0);
    expect(report.healthy).toBe(true);
    expect(report.checkedAtUs).toBe(NOW);
    expect(report.checks.map((c) => (c.feed ? `${c.check}:${c.feed}` : c.check))).toEqual([
      'manifest',
      'registry',
      'disk-space',
      'feed-files:trades',
      'feed-activity:trades',
    ]);
    expect(report.checks.find((c) => c.check === 'feed-activity')?.details).toMatchObject({
      lastTs: NOW - 10e6,
    });
  });

  it('prints a readable verdict without --json', async () => {
    const run = await cli(['health', '--base-path', base.path, '--check-feeds', '--min-free-gb', '0'], {
      nowUs: NOW,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^HEALTHY {2}/);
    expect(run.stdout).toMatch(/ok {4}feed-activity trades\s+last write \d+s ago/);
  });

  it('exits 1 for a stale feed and says how old its last write is', async () => {
    const { code, report } = await healthAt(HOUR_LATER, base.path, '--max-age-seconds', '300');
    expect(code).toBe(1);
    expect(failing(report)).toEqual([
      expect.objectContaining({
        check: 'feed-activity',
        feed: 'trades',
        reason: expect.stringMatching(/^last write 3\d{3}s ago, older than --max-age-seconds 300$/),
      }),
    ]);
    expect((await healthAt(HOUR_LATER, base.path, '--max-age-seconds', '7200')).code).toBe(0);
  });

  it('exits 1 when a chunk file is missing, naming the chunk', async () => {
    unlinkSync(chunkPath(base.path, 2));
    const { code, report } = await health(base.path);
    expect(code).toBe(1);
    expect(failing(report)).toHaveLength(1);
    expect(failing(report)[0]).toMatchObject({ check: 'feed-files', feed: 'trades' });
    expect(failing(report)[0].reason).toMatch(/chunk 2 \(full, 10 records in the registry\) has no file/);
  });

  it('exits 1 when the feed registry disagrees with the data', async () => {
    withRegistry(base.path, (r) => {
      const info = r.chunk(1)!;
      r.setChunkSummary(1, info.state, 7, info.firstTs, info.lastTs);
    });
    const { code, report } = await health(base.path);
    expect(code).toBe(1);
    expect(failing(report)[0].reason).toMatch(/chunk 1: registry says 7 records, the file has 10 published/);
  });

  it('exits 1 when a registry file is corrupted', async () => {
    writeFileSync(join(feedDir(base.path), 'chunks.reg'), Buffer.alloc(300, 0x41));
    const { code, report } = await health(base.path);
    expect(code).toBe(1);
    expect(failing(report).map((c) => c.check)).toContain('feed-files');
    expect(failing(report)[0].reason).toMatch(
      /chunks\.reg .*(bad magic|shorter|promises|is 300 bytes, expected)/,
    );
  });

  it('exits 1 when the global feed registry is unreadable', async () => {
    writeFileSync(join(base.path, 'feeds.reg'), Buffer.alloc(4096, 0x5a));
    const { code, report } = await health(base.path);
    expect(code).toBe(1);
    expect(failing(report)).toEqual([
      expect.objectContaining({
        check: 'registry',
        reason: expect.stringMatching(/feeds\.reg: .*(bad magic|is 4096 bytes, expected 524352)/),
      }),
    ]);
  });

  it('exits 1 on a manifest from another format version, naming both versions', async () => {
    writeFileSync(join(base.path, 'manifest.json'), JSON.stringify({ formatVersion: 99 }));
    const { code, report } = await health(base.path);
    expect(code).toBe(1);
    expect(failing(report)[0]).toMatchObject({ check: 'manifest' });
    expect(failing(report)[0].reason).toMatch(/formatVersion 99, this @deepwater\/sdk speaks 2: upgrade/);
  });

  it('exits 1 when free space is below --min-free-gb', async () => {
    const { code, report } = await health(base.path, '--min-free-gb', '1000000');
    expect(code).toBe(1);
    expect(failing(report)[0]).toMatchObject({ check: 'disk-space' });
    expect(failing(report)[0].reason).toMatch(/below the 1000000 GiB minimum/);
  });

  it('lists every failing check, not just the first', async () => {
    unlinkSync(chunkPath(base.path, 3));
    const { report } = await healthAt(
      HOUR_LATER,
      base.path,
      '--max-age-seconds',
      '1',
      '--min-free-gb',
      '1000000',
    );
    expect(
      failing(report)
        .map((c) => c.check)
        .sort(),
    ).toEqual(['disk-space', 'feed-activity', 'feed-files']);
  });
});

describe('deepwater health on a missing or unusable base', () => {
  it('exits 2 and creates nothing when the base path does not exist', async () => {
    const base = tempBase();
    const missing = join(base.path, 'no-such-base');
    const run = await cli(['health', '--base-path', missing, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      healthy: false,
      error: expect.stringMatching(/does not exist/),
    });
    expect(existsSync(missing)).toBe(false);
    base.remove();
  });

  it('exits 2 when the base path is a file', async () => {
    const base = tempBase();
    const file = join(base.path, 'not-a-dir');
    writeFileSync(file, 'x');
    const run = await cli(['health', '--base-path', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a directory/);
    base.remove();
  });

  it('exits 1 on an empty directory (no manifest) and leaves it empty', async () => {
    const base = tempBase();
    const run = await cli(['health', '--base-path', base.path, '--min-free-gb', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}manifest .*missing/);
    expect(readdirSync(base.path)).toEqual([]);
    rmSync(base.path, { recursive: true });
  });
});
