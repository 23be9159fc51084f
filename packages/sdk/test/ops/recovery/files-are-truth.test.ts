import { closeSync, existsSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../../src/index.js';
import { cli } from '../../cli/run-cli.js';
import {
  CHUNK_BYTES,
  readAll,
  secondsApart,
  type TestBase,
  TRADE_FIELDS,
  tempBase,
  writeFeed,
} from '../helpers/bases.js';
import { chunkPath, feedDir, withChunk, withRegistry } from '../helpers/corrupt.js';

/** Issue #14: createFeed, repair and readers never destroy or hide a record. */

const NOW = Date.now() * 1000;
const TIMESTAMPS = secondsApart(35, NOW, 60e6); // chunks 1-3 hold 10 records each, chunk 4 holds 5
const SPEC = {
  feedName: 'trades',
  fields: TRADE_FIELDS,
  tsCol: 'timestamp_us',
  chunkSizeBytes: CHUNK_BYTES,
  retentionHours: 72,
};

const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);

function patch(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

function withPlatform<T>(base: string, fn: (platform: Platform) => T): T {
  const platform = new Platform(base, { logger: false });
  try {
    return fn(platform);
  } finally {
    platform.close();
  }
}

async function repairJson(base: string, ...args: string[]) {
  const run = await cli(['repair', '--base-path', base, '--json', '--all', ...args]);
  return { code: run.code, report: run.code === 2 ? undefined : JSON.parse(run.stdout), stderr: run.stderr };
}

describe('the files are the truth (issue #14)', () => {
  let base: TestBase;
  let original: unknown[][];
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, TIMESTAMPS);
    original = readAll(base.path);
  });
  afterEach(() => base.remove());

  it('item 1: createFeed after feeds.reg is lost adopts every chunk instead of deleting them', () => {
    unlinkSync(join(base.path, 'feeds.reg'));
    withPlatform(base.path, (p) => p.createFeed(SPEC));
    expect(readAll(base.path)).toEqual(original);
    // The adopted feed keeps going in order.
    writeFeed(base.path, [NOW, NOW + 1]);
    expect(readAll(base.path).length).toBe(37);
  });

  it("item 1: createFeed after the feed's slot state word is zeroed adopts the data", () => {
    patch(join(base.path, 'feeds.reg'), 64, u32(0));
    withPlatform(base.path, (p) => p.createFeed(SPEC));
    expect(readAll(base.path)).toEqual(original);
  });

  it('item 1: a conflicting spec is refused, naming both specs and repair, and nothing changes', () => {
    unlinkSync(join(base.path, 'feeds.reg'));
    const before = readdirSync(feedDir(base.path)).sort();
    expect(() => withPlatform(base.path, (p) => p.createFeed({ ...SPEC, retentionHours: 1 }))).toThrow(
      expect.objectContaining({
        code: 'ERR_FEED_EXISTS_CONFLICT',
        message: expect.stringMatching(
          /existing spec .*"retentionHours":72.*requested spec .*"retentionHours":1.*repair/s,
        ),
      }),
    );
    expect(readdirSync(feedDir(base.path)).sort()).toEqual(before);
    withPlatform(base.path, (p) => p.createFeed(SPEC));
    expect(readAll(base.path)).toEqual(original);
  });

  it('item 1: losing chunks.reg, then createFeed and a writer, keeps every old record', () => {
    unlinkSync(join(feedDir(base.path), 'chunks.reg'));
    withPlatform(base.path, (p) => p.createFeed(SPEC));
    expect(readAll(base.path)).toEqual(original);
    writeFeed(base.path, [NOW, NOW + 1]);
    const all = readAll(base.path);
    expect(all.slice(0, 35)).toEqual(original);
    expect(all.length).toBe(37);
  });

  it('item 4: repair restores a sealed chunk whose header count was lowered, zeroing nothing', async () => {
    withChunk(base.path, 2, (chunk) => Atomics.store(chunk.headerWords, 16, 3));
    const { code, report } = await repairJson(base.path);
    expect(code).toBe(0);
    const kinds = report.feeds[0].problems.map((p: { kind: string }) => p.kind);
    expect(kinds).toContain('count-below-data');
    expect(kinds).not.toContain('torn-tail');
    expect(withChunk(base.path, 2, (chunk) => chunk.committedAcquire())).toBe(10);
    expect(readAll(base.path)).toEqual(original);
  });

  it('item 5: a count word >= 2^31 is an error for readers, and repair brings the data back', async () => {
    withChunk(base.path, 2, (chunk) => Atomics.store(chunk.headerWords, 16, 0xfffffff0 | 0));
    expect(() => readAll(base.path)).toThrow(expect.objectContaining({ code: 'ERR_CORRUPT' }));
    const { code, report } = await repairJson(base.path);
    expect(code).toBe(0);
    expect(JSON.stringify(report)).not.toMatch(/-\d+ records/);
    expect(readAll(base.path)).toEqual(original);
    expect((await repairJson(base.path)).report.problems).toBe(0);
  });

  it('item 5: a count word >= 2^31 in the newest chunk: the writer refuses instead of writing into the header', async () => {
    withChunk(base.path, 4, (chunk) => Atomics.store(chunk.headerWords, 16, 0x80000010 | 0));
    expect(() => withPlatform(base.path, (p) => p.createWriter('trades'))).toThrow(
      expect.objectContaining({
        code: 'ERR_CORRUPT',
        message: expect.stringMatching(/committedCount is 2147483664/),
      }),
    );
    expect(withPlatform(base.path, (p) => p.feedStatus('trades').records)).toBeLessThanOrEqual(40);
    expect((await repairJson(base.path)).code).toBe(0);
    expect(readAll(base.path)).toEqual(original);
    writeFeed(base.path, [NOW, NOW + 1]);
    expect(readAll(base.path).length).toBe(37);
  });

  it('item 7: a changed header recordSize is an ERR_CORRUPT naming the file and field, not a misread', async () => {
    patch(chunkPath(base.path, 2), 12, u32(8));
    expect(() => readAll(base.path)).toThrow(
      expect.objectContaining({
        code: 'ERR_CORRUPT',
        message: expect.stringMatching(/chunk-0000000002\.dat header field recordSize is 8/),
      }),
    );
  });

  it('item 8: counts raised past the data are trimmed; the resumed writer stays in order', async () => {
    withChunk(base.path, 4, (chunk) => Atomics.store(chunk.headerWords, 16, 8));
    writeFeed(base.path, [NOW, NOW + 1]);
    const all = readAll(base.path) as number[][];
    expect(all.length).toBe(37);
    expect(all.slice(0, 35)).toEqual(original);
    const ts = all.map((r) => Number(r[2]));
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]);
  });

  it('item 8: repair trims all-zero records counted past the data', async () => {
    withChunk(base.path, 4, (chunk) => Atomics.store(chunk.headerWords, 16, 8));
    withRegistry(base.path, (r) => {
      const four = r.chunk(4)!;
      r.setChunkSummary(4, four.state, 8, four.firstTs, four.lastTs);
    });
    const { code, report } = await repairJson(base.path);
    expect(code).toBe(0);
    expect(report.feeds[0].problems.map((p: { kind: string }) => p.kind)).toContain('count-beyond-data');
    expect(readAll(base.path)).toEqual(original);
  });

  it('a torn tail is copied aside before it is cleared', async () => {
    withChunk(base.path, 4, (chunk) => chunk.bytes.fill(0xab, chunk.recordOffset(5), chunk.recordOffset(7)));
    const { code } = await repairJson(base.path);
    expect(code).toBe(0);
    expect(existsSync(`${chunkPath(base.path, 4)}.tail-5`)).toBe(true);
    expect(readAll(base.path)).toEqual(original);
  });
});
