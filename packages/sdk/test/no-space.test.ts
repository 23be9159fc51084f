// Issue #13 item 1: a full disk is an ERR_NO_SPACE error where space is reserved (creation,
// rotation), never SIGBUS in a mapped page; the writer stays usable and continues with no gap or
// duplicate once space is freed; readers and every CLI command keep working on the full base.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type DeepwaterError, NoSpaceError, Platform } from '../src/index.js';
import { isRoot, useTmpfs } from './helpers/tmpfs.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const spec = {
  feedName: 'ticks',
  fields: [
    { name: 'seq', type: 'float64' },
    { name: 'ts', type: 'uint64' },
  ],
  tsCol: 'ts',
  chunkSizeMb: 0.05, // ~51 KiB chunks: a 4 MiB tmpfs (a 2.1 MiB chunks.reg included) fills after a few dozen rotations
} as const;

/** Writes seq, seq+1, ... with writeValues until the disk is full; returns the seq that failed. */
function writeUntilFull(platform: Platform, from: number): { next: number; error: unknown } {
  const writer = platform.createWriter('ticks');
  let seq = from;
  try {
    for (; seq < 1e7; seq++) writer.writeValues(seq, seq);
  } catch (error) {
    writer.close();
    return { next: seq, error };
  }
  throw new Error('the tmpfs never filled up');
}

function readAll(platform: Platform): number[] {
  const reader = platform.createReader('ticks');
  try {
    return Array.from(reader.range(0, Number.MAX_SAFE_INTEGER, { format: 'columnar' }).seq as Float64Array);
  } finally {
    reader.close();
  }
}

function expectExactly(seqs: number[], count: number): void {
  expect(seqs.length).toBe(count);
  for (let i = 0; i < count; i++) if (seqs[i] !== i) expect(seqs[i]).toBe(i); // one expect on failure only
}

describe.skipIf(!isRoot)('a full disk', () => {
  const mount = useTmpfs();

  it('stops the writer with ERR_NO_SPACE at rotation; after space is freed it continues with no gap or duplicate', () => {
    const disk = mount(4 * 1024 * 1024);
    const ballast = [join(disk, 'ballast-1'), join(disk, 'ballast-2')];
    for (const path of ballast) writeFileSync(path, Buffer.alloc(192 * 1024, 1));
    const platform = new Platform(join(disk, 'base'));
    try {
      platform.createFeed(spec);
      const writer = platform.createWriter('ticks');
      let seq = 0;
      let failure: unknown;
      try {
        for (; seq < 1e7; seq++) writer.writeValues(seq, seq);
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(NoSpaceError);
      const noSpace = failure as NoSpaceError;
      expect(noSpace.code).toBe('ERR_NO_SPACE');
      expect(noSpace.feed).toBe('ticks');
      expect(noSpace.path).toMatch(/chunk-\d+\.dat$/);
      expect(noSpace.writtenRecords).toBe(0);
      // Still full: the same record fails the same way, and the writer is still usable.
      expect(() => writer.writeValues(seq, seq)).toThrow(NoSpaceError);
      expectExactly(readAll(platform), seq);

      rmSync(ballast[0]);
      for (const stop = seq + 3000; seq < stop; seq++) writer.writeValues(seq, seq); // rotates again

      // writeBatch until full: the rows before the failed rotation are written, and counted.
      let batchFailure: unknown;
      let rows: number[][] = [];
      try {
        for (let round = 0; round < 1000; round++) {
          rows = Array.from({ length: 1000 }, (_, i) => [seq + i, seq + i]);
          seq += writer.writeBatch(rows);
        }
      } catch (error) {
        batchFailure = error;
      }
      expect(batchFailure).toBeInstanceOf(NoSpaceError);
      const partial = (batchFailure as NoSpaceError).writtenRecords;
      expect(partial).toBeGreaterThanOrEqual(0);
      expect(partial).toBeLessThan(1000);
      seq += partial;
      expectExactly(readAll(platform), seq);

      rmSync(ballast[1]);
      seq += writer.writeBatch(rows.slice(partial)); // the rest of the failed batch, as documented
      for (const stop = seq + 3000; seq < stop; seq++) writer.writeValues(seq, seq);
      writer.close();
      expectExactly(readAll(platform), seq);
    } finally {
      platform.close();
    }
  });

  it('refuses a createFeed that does not fit with ERR_NO_SPACE and leaves the base as it was', () => {
    const disk = mount(2 * 1024 * 1024); // a 2.1 MiB chunks.reg cannot fit
    const base = join(disk, 'base');
    const platform = new Platform(base);
    try {
      expect(() => platform.createFeed(spec)).toThrow(NoSpaceError);
      expect(existsSync(join(base, 'feeds', 'ticks'))).toBe(false);
      expect(platform.listFeeds()).toEqual([]);
      const health = runCli(['health', '--check-feeds', '--min-free-gb', '0', '--base-path', base]);
      expect(health.stdout).toMatch(/^HEALTHY/);
      // With the space there, the same call creates it.
      rmSync(base, { recursive: true });
      const larger = mount(4 * 1024 * 1024);
      const again = new Platform(join(larger, 'base'));
      expect(again.createFeed(spec).name).toBe('ticks');
      again.close();
    } finally {
      platform.close();
    }
  });

  it('keeps readers and every CLI command working: a status, never a signal', () => {
    const disk = mount(4 * 1024 * 1024);
    const base = join(disk, 'base');
    const platform = new Platform(base);
    try {
      platform.createFeed(spec);
      const { next, error } = writeUntilFull(platform, 0);
      expect((error as DeepwaterError).code).toBe('ERR_NO_SPACE');
      fillCompletely(disk);
      expectExactly(readAll(platform), next);
      for (const args of [
        ['health', '--check-feeds'],
        ['repair', '--all', '--dry-run'],
        ['cleanup', '--dry-run'],
        ['feeds'],
        ['dump', 'ticks', '--from', '0', '--to', '10'],
      ]) {
        const run = runCli([...args, '--base-path', base]);
        expect({ args, signal: run.signal }).toEqual({ args, signal: null });
        expect(run.status, `${args.join(' ')}: ${run.stderr}`).not.toBe(null);
      }
    } finally {
      platform.close();
    }
  });

  it('treats registries left sparse by older versions: reserved when possible, else a clear error', () => {
    const disk = mount(4 * 1024 * 1024);
    const base = join(disk, 'base');
    const platform = new Platform(base);
    platform.createFeed(spec);
    writeUntilFull(platform, 0);
    platform.close();
    // What versions before the reservation left: the same files with holes (ftruncate).
    for (const file of ['feeds.reg', 'feeds/ticks/chunks.reg', 'feeds/ticks/readers.tbl']) {
      const path = join(base, file);
      execFileSync('cp', ['--sparse=always', path, `${path}.sparse`]);
      execFileSync('mv', [`${path}.sparse`, path]);
    }
    fillCompletely(disk);
    for (const args of [
      ['health', '--check-feeds'],
      ['repair', '--all', '--dry-run'],
      ['cleanup', '--dry-run'],
      ['dump', 'ticks', '--from', '0', '--to', '10'],
    ]) {
      const run = runCli([...args, '--base-path', base]);
      expect({ args, signal: run.signal }).toEqual({ args, signal: null });
      expect(run.status).not.toBe(null);
      if (run.status !== 0 && run.status !== 1) expect(run.stderr).toMatch(/ENOSPC|ERR_NO_SPACE/);
    }
    let opened: Platform | undefined;
    try {
      opened = new Platform(base);
      opened.createReader('ticks').close();
    } catch (error) {
      expect((error as DeepwaterError).code).toBe('ERR_NO_SPACE');
    } finally {
      opened?.close();
    }
  });
});

/** Takes the last free blocks of the tmpfs with small files. */
function fillCompletely(disk: string): void {
  for (let i = 0; i < 1024; i++) {
    try {
      writeFileSync(join(disk, `fill-${i}`), Buffer.alloc(4096, 1));
    } catch {
      return;
    }
  }
}

function runCli(args: string[]): {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
} {
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}
