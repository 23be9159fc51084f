import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { F_RECORDS_PER_CHUNK_OFFSET, FS_STATE_OFFSET } from '../../../src/registry/layout.js';
import { cli } from '../../cli/run-cli.js';
import { readAll, secondsApart, type TestBase, tempBase, writeFeed } from '../helpers/bases.js';
import { feedDir, withChunk, withRegistry } from '../helpers/corrupt.js';

/** Issue #14 items 9 and 10: commands on a non-base exit 2 and write nothing; health runs repair's scan. */

const NOW = Date.now() * 1000;
const TIMESTAMPS = secondsApart(35, NOW, 60e6);
const HEALTH = ['--check-feeds', '--min-free-gb', '0', '--max-age-seconds', '86400'];

const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);

function patch(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

describe('commands on a directory that is not a base (issue #14 item 9)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dw-test-notabase-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [
    ['cleanup'],
    ['cleanup', '--dry-run'],
    ['repair', '--all'],
    ['repair', '--all', '--dry-run'],
  ]) {
    it(`${args.join(' ')} exits 2 and writes nothing there`, async () => {
      const run = await cli([...args, '--base-path', dir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is not a Deepwater base/);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});

describe('health runs the same scan as repair --dry-run (issue #14 item 10)', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, TIMESTAMPS);
  });
  afterEach(() => base.remove());

  async function expectBothFail(kind: string): Promise<void> {
    const health = await cli(['health', '--base-path', base.path, ...HEALTH]);
    expect(health.stdout).toMatch(/^UNHEALTHY/);
    expect(health.code).toBe(1);
    const dry = await cli(['repair', '--base-path', base.path, '--all', '--dry-run', '--json']);
    expect(dry.code).toBe(1);
    const problems = JSON.parse(dry.stdout).feeds.flatMap(
      (f: { problems: { kind: string }[] }) => f.problems,
    );
    expect(problems.map((p: { kind: string }) => p.kind)).toContain(kind);
  }

  it('a vanished registry slot: health fails, repair re-registers the feed with all its records', async () => {
    const original = readAll(base.path);
    patch(join(base.path, 'feeds.reg'), 64, u32(0));
    await expectBothFail('unregistered-feed');
    const run = await cli(['repair', '--base-path', base.path, '--all']);
    expect(run.code).toBe(0);
    expect(readAll(base.path)).toEqual(original);
  });

  it('timestamps that decrease inside a chunk', async () => {
    withChunk(base.path, 2, (chunk) => chunk.view.setBigUint64(chunk.recordOffset(4) + 16, 1000n, true));
    await expectBothFail('timestamps-decrease');
  });

  it('a changed recordsPerChunk in chunks.reg', async () => {
    patch(join(feedDir(base.path), 'chunks.reg'), F_RECORDS_PER_CHUNK_OFFSET, u32(9));
    await expectBothFail('registry-corrupt');
    expect((await cli(['repair', '--base-path', base.path, '--all'])).code).toBe(0);
  });

  it('a chunk slot with state 9', async () => {
    const slot = withRegistry(base.path, (r) => r.slotOffset(2));
    patch(join(feedDir(base.path), 'chunks.reg'), slot + FS_STATE_OFFSET, u32(9));
    await expectBothFail('chunk-state');
    expect((await cli(['repair', '--base-path', base.path, '--all'])).code).toBe(0);
  });

  it('edited feed.json keys: reported; repair restores the spec from chunks.reg and keeps the edited file', async () => {
    const path = join(feedDir(base.path), 'feed.json');
    const original = readFileSync(path, 'utf8');
    const records = readAll(base.path);
    const json = JSON.parse(original);
    writeFileSync(path, JSON.stringify({ ...json, recordSize: 16 }));
    await expectBothFail('feed-config');
    const edited = JSON.stringify({ ...json, chunkSizeBytes: 480 });
    writeFileSync(path, edited);
    await expectBothFail('feed-config');
    // Format v2 keeps a checksummed copy of the spec in chunks.reg: the copy wins, the edited file
    // is quarantined beside it (restorable), and no chunk file is touched.
    const chunksBefore = readdirSync(feedDir(base.path))
      .filter((f) => f.startsWith('chunk-'))
      .sort();
    expect((await cli(['repair', '--base-path', base.path, '--all'])).code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(json);
    const files = readdirSync(feedDir(base.path));
    const kept = files.filter((f) => f.startsWith('feed.json.') && f.includes('corrupt'));
    expect(kept.map((f) => readFileSync(join(feedDir(base.path), f), 'utf8'))).toEqual([edited]);
    expect(files.filter((f) => f.startsWith('chunk-')).sort()).toEqual(chunksBefore);
    expect(readAll(base.path)).toEqual(records);
    expect(
      (await cli(['health', '--base-path', base.path, '--check-feeds', '--max-age-seconds', '1e9'])).code,
    ).toBe(0);
  });

  it('a lost chunks.reg: health and the dry run report it; repair rebuilds it from the chunk files', async () => {
    const original = readAll(base.path);
    unlinkSync(join(feedDir(base.path), 'chunks.reg'));
    await expectBothFail('registry-missing');
    expect((await cli(['repair', '--base-path', base.path, '--all'])).code).toBe(0);
    expect(existsSync(join(feedDir(base.path), 'chunks.reg'))).toBe(true);
    expect(readAll(base.path)).toEqual(original);
  });
});
