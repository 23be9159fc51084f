import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSeq } from '../../src/disk/chunk-file.js';
import { C_FIRST_SEQ_OFFSET } from '../../src/disk/chunk-layout.js';
import { Platform } from '../../src/index.js';
import { cli } from '../cli/run-cli.js';
import { readAll, secondsApart, type TestBase, tempBase, writeFeed } from '../ops/helpers/bases.js';
import { chunkPath, feedDir, resealChunkHeader, withRegistry } from '../ops/helpers/corrupt.js';

const NOW = Date.now() * 1000;

async function repair(base: string, ...args: string[]) {
  const run = await cli(['repair', '--base-path', base, '--all', '--json', ...args]);
  const report = JSON.parse(run.stdout);
  return { code: run.code, problems: report.feeds.flatMap((f: { problems: unknown[] }) => f.problems) };
}

describe('repair and the v2 seq and spec fields', () => {
  let base: TestBase;
  let original: unknown[][];
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, secondsApart(35, NOW, 60e6)); // 10 records per chunk: 4 chunks
    original = readAll(base.path);
  });
  afterEach(() => base.remove());

  it('restores a lost feed.json from the copy in chunks.reg; health reports it first', async () => {
    const configPath = join(feedDir(base.path), 'feed.json');
    const bytes = readFileSync(configPath);
    unlinkSync(configPath);
    const dry = await repair(base.path, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.problems).toEqual([
      expect.objectContaining({
        kind: 'feed-config',
        fix: expect.stringMatching(/restore .*feed\.json from the copy/),
      }),
    ]);
    expect(existsSync(configPath)).toBe(false);
    const fixed = await repair(base.path);
    expect(fixed.problems).toEqual([expect.objectContaining({ kind: 'feed-config', fixed: true })]);
    expect(readFileSync(configPath)).toEqual(bytes);
    expect((await repair(base.path)).problems).toEqual([]);
    expect(readAll(base.path)).toEqual(original);
  });

  it('sets aside a feed.json that differs from its copy and restores the copy (a flipped key)', async () => {
    const configPath = join(feedDir(base.path), 'feed.json');
    const bytes = readFileSync(configPath);
    // "persist" -> "persizt": valid JSON that would make the disk feed look like an empty ring.
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"persist"', '"persizt"'));
    const dry = await repair(base.path, '--dry-run');
    expect(dry.problems).toEqual([expect.objectContaining({ kind: 'feed-spec-copy', severity: 'error' })]);
    expect((await repair(base.path)).code).toBe(0);
    expect(readFileSync(configPath)).toEqual(bytes);
    expect(existsSync(`${configPath}.corrupt`)).toBe(true);
    expect((await repair(base.path)).problems).toEqual([]);
    expect(readAll(base.path)).toEqual(original);
  });

  it('reports seqs that two chunks would both claim, and fixes a registry copy of firstSeq', async () => {
    // Chunk 3 claims to start 5 seqs later than chunk 2 ends (a sealed header edited and re-sealed):
    // a gap, like lost records, is not a finding; chunk 4 then overlaps chunk 3's seqs, which is.
    const path = chunkPath(base.path, 3);
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    writeSeq(view, C_FIRST_SEQ_OFFSET, 25);
    writeFileSync(path, bytes);
    resealChunkHeader(path);
    withRegistry(base.path, (r) => r.setFirstSeq(2, 7));
    const dry = await repair(base.path, '--dry-run');
    expect(
      dry.problems.map((p: { kind: string; chunkId: number }) => `${p.kind}:${p.chunkId}`).sort(),
    ).toEqual(['seq-discontinuity:4', 'seq-entry:2', 'seq-entry:3']); // chunk 3 now seems to end at 34
    expect(dry.problems.find((p: { kind: string }) => p.kind === 'seq-discontinuity').message).toMatch(
      /chunk 4 starts at seq 30, but chunk 3 ends at seq 34: 5 seq\(s\) would name two records/,
    );
    const fixed = await repair(base.path);
    expect(fixed.code).toBe(1); // the break is reported, never renumbered
    const after = await repair(base.path, '--dry-run');
    expect(after.problems.map((p: { kind: string }) => p.kind)).toEqual(['seq-discontinuity']);
    const p = new Platform(base.path);
    try {
      expect(
        p
          .createReader('trades')
          .rangeSeq(10, 12)
          .map((r) => r[0]),
      ).toEqual([10, 11]);
    } finally {
      p.close();
    }
  });

  it('clears a feeds.reg slot whose name is garbage once, and re-registers the feed from its directory', async () => {
    const path = join(base.path, 'feeds.reg');
    const bytes = readFileSync(path);
    bytes.write('tr\u0001\u0007des', 64 + 32, 'latin1'); // slot 0's name, damaged in place
    writeFileSync(path, bytes);
    const dry = await repair(base.path, '--dry-run');
    expect(dry.code).toBe(1);
    const first = await cli(['repair', '--base-path', base.path, '--all', '--json']);
    const report = JSON.parse(first.stdout);
    expect(report.base).toEqual([expect.objectContaining({ kind: 'registry-slot', fixed: true })]);
    const again = await cli(['repair', '--base-path', base.path, '--all', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).base).toEqual([]);
    expect((await repair(base.path)).problems).toEqual([]);
    expect(readAll(base.path)).toEqual(original);
  });
});
