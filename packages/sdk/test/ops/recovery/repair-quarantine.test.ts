import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../cli/run-cli.js';
import { readAll, secondsApart, type TestBase, tempBase, writeFeed } from '../helpers/bases.js';
import { chunkPath, feedDir, withRegistry } from '../helpers/corrupt.js';

/** Issue #14 items 3 and 6: damaged chunk headers are quarantined; one registry word never hides data. */

const NOW = Date.now() * 1000;
const TIMESTAMPS = secondsApart(35, NOW, 60e6); // chunks 1-3 hold 10 records each, chunk 4 holds 5

const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);

function patch(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

async function repair(base: string, ...args: string[]) {
  const run = await cli(['repair', '--base-path', base, '--json', '--all', ...args]);
  expect(run.code, run.stderr).not.toBe(2);
  return { code: run.code, report: JSON.parse(run.stdout) };
}

const damages: [string, (path: string) => void][] = [
  ['magic', (p) => patch(p, 0, u32(0xdeadbeef))],
  ['version', (p) => patch(p, 4, u32(7))],
  ['chunk id', (p) => patch(p, 8, u32(9))],
  ['record size', (p) => patch(p, 12, u32(8))],
  ['data offset', (p) => patch(p, 20, u32(64))],
  ['truncated to 0 bytes', (p) => truncateSync(p, 0)],
  ['truncated to 2000 bytes', (p) => truncateSync(p, 2000)],
  [
    'replaced by a directory',
    (p) => {
      unlinkSync(p);
      mkdirSync(p);
    },
  ],
];

describe('repair quarantines a chunk with a damaged header (issue #14 item 3)', () => {
  let base: TestBase;
  let original: unknown[][];
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, TIMESTAMPS);
    original = readAll(base.path);
  });
  afterEach(() => base.remove());

  for (const [what, damage] of damages) {
    it(`${what}: renamed aside and listed, never ENOENT; the rest stays readable; restorable`, async () => {
      damage(chunkPath(base.path, 2));
      const first = await repair(base.path);
      expect(first.report.feeds[0].problems.map((p: { kind: string }) => p.kind)).toContain('chunk-header');
      const quarantined = `${chunkPath(base.path, 2)}.corrupt`;
      expect(existsSync(quarantined)).toBe(true);
      expect(first.report.feeds[0].quarantined).toEqual([quarantined]);
      // A second run finds nothing new and still lists the quarantined file.
      const second = await repair(base.path);
      expect(second.code).toBe(0);
      expect(second.report.feeds[0].quarantined).toEqual([quarantined]);
      expect(readdirSync(feedDir(base.path))).not.toContain('chunk-0000000002.dat');
    });
  }

  it('a quarantined chunk renamed back after the operator fixed it is readable again', async () => {
    const path = chunkPath(base.path, 2);
    patch(path, 0, u32(0xdeadbeef));
    await repair(base.path);
    patch(`${path}.corrupt`, 0, u32(0x4b435744)); // the operator fixes the magic ...
    renameSync(`${path}.corrupt`, path); // ... and restores the file
    const { code } = await repair(base.path);
    expect(code).toBe(0);
    expect(readAll(base.path)).toEqual(original);
  });
});

describe('one chunks.reg header word never hides data (issue #14 item 6)', () => {
  let base: TestBase;
  let original: unknown[][];
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, TIMESTAMPS);
    original = readAll(base.path);
  });
  afterEach(() => base.remove());

  const cases: [string, number, number][] = [
    ['lastChunkId = 0', 64, 0],
    ['firstChunkId = 0xFFFFFFFF', 68, 0xffffffff],
    ['lastChunkId = 2', 64, 2],
  ];
  for (const [what, offset, value] of cases) {
    it(`${what}: readers throw ERR_CORRUPT naming the field; repair rebuilds from the files, orphaning nothing`, async () => {
      patch(`${feedDir(base.path)}/chunks.reg`, offset, u32(value));
      expect(() => readAll(base.path)).toThrow(
        expect.objectContaining({
          code: 'ERR_CORRUPT',
          message: expect.stringMatching(/chunks\.reg field \w+ChunkId/),
        }),
      );
      const health = await cli([
        'health',
        '--base-path',
        base.path,
        '--check-feeds',
        '--min-free-gb',
        '0',
        '--max-age-seconds',
        '86400',
      ]);
      expect(health.code).toBe(1);
      const { code, report } = await repair(base.path);
      expect(code).toBe(0);
      expect(report.feeds[0].problems.map((p: { kind: string }) => p.kind)).toContain('registry-corrupt');
      expect(readdirSync(feedDir(base.path)).filter((n) => n.endsWith('.orphan'))).toEqual([]);
      expect(readAll(base.path)).toEqual(original);
      expect((await repair(base.path)).report.problems).toBe(0);
    });
  }

  for (const file of ['feeds.reg', 'feeds/trades/chunks.reg']) {
    it(`${file} version word damaged while the manifest names this sdk's version: rebuilt, every record kept`, async () => {
      patch(`${base.path}/${file}`, 4, u32(0x20000001));
      expect(() => readAll(base.path)).toThrow(expect.objectContaining({ code: 'ERR_FORMAT_VERSION' }));
      const { code } = await repair(base.path);
      expect(code).toBe(0);
      expect(readAll(base.path)).toEqual(original);
    });
  }

  it('a flipped slot state (removed) inside the live range is restored, not deleted', async () => {
    withRegistry(base.path, (r) => {
      const two = r.chunk(2)!;
      r.setChunkSummary(2, 4, two.recordCount, two.firstTs, two.lastTs);
    });
    const { code, report } = await repair(base.path);
    expect(code).toBe(0);
    expect(report.feeds[0].problems.map((p: { kind: string }) => p.kind)).toEqual([
      'removed-chunk-file-present',
    ]);
    expect(existsSync(chunkPath(base.path, 2))).toBe(true);
    expect(readAll(base.path)).toEqual(original);
  });
});
