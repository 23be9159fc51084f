import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkFile } from '../../src/disk/chunk-file.js';
import * as C from '../../src/disk/chunk-layout.js';
import { Platform } from '../../src/index.js';
import { runMigrate } from '../../src/ops/migrate.js';
import * as L from '../../src/registry/layout.js';
import { cli } from '../cli/run-cli.js';
import { checkedRecord, checkedSpec } from '../fixtures/checked-feed.js';
import { type TestBase, tempBase } from '../ops/helpers/bases.js';

const CHUNK_MB = (100 * 24) / (1024 * 1024);
type Row = [number, number, number, number];

/** Edits a JSON file's formatVersion. */
function setJsonVersion(path: string, version: number): void {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify({ ...json, formatVersion: version }));
}

/**
 * Turns a base written by this sdk into the bytes format version 1 had: chunk headers without
 * firstSeq and checksum (those bytes were reserved zeros) at version 1, a version 1 chunks.reg
 * (64-byte slots, no feed.json copy), feeds.reg at version 1 without a checksum, version 1 JSON.
 */
function downgradeToV1(base: string, disk: string, rings: string[]): void {
  const feedDir = join(base, 'feeds', disk);
  for (let id = 1; existsSync(ChunkFile.pathFor(feedDir, id)); id++) {
    const path = ChunkFile.pathFor(feedDir, id);
    const bytes = readFileSync(path);
    bytes.fill(0, C.C_HEADER_CRC_OFFSET, C.C_FIRST_SEQ_END);
    bytes.writeUInt32LE(C.CHUNK_VERSION_1, C.C_VERSION_OFFSET);
    writeFileSync(path, bytes);
  }
  const registry = readFileSync(join(feedDir, L.FEED_REGISTRY_FILE));
  const v1 = Buffer.alloc(L.FEED_FILE_LENGTH_V1);
  registry.copy(v1, 0, 0, 32);
  registry.copy(v1, 64, 64, 128); // id words, writer pid, lastAppendUs
  v1.writeUInt32LE(1, L.F_VERSION_OFFSET);
  v1.writeUInt32LE(64, L.F_SLOT_LENGTH_OFFSET);
  writeFileSync(join(feedDir, L.FEED_REGISTRY_FILE), v1);
  const global = readFileSync(join(base, L.GLOBAL_REGISTRY_FILE));
  global.writeUInt32LE(1, L.G_VERSION_OFFSET);
  global.writeUInt32LE(0, L.G_HEADER_CRC_OFFSET);
  writeFileSync(join(base, L.GLOBAL_REGISTRY_FILE), global);
  for (const feed of [disk, ...rings]) setJsonVersion(join(base, 'feeds', feed, 'feed.json'), 1);
  setJsonVersion(join(base, 'manifest.json'), 1);
}

describe('format version 1 bases', () => {
  let base: TestBase;
  afterEach(() => base.remove());

  function writeV1Base(records: number): void {
    const p = new Platform(base.path);
    try {
      p.createFeed(checkedSpec('trades', CHUNK_MB));
      p.createFeed({ ...checkedSpec('quotes', CHUNK_MB), persist: false });
      const w = p.createWriter('trades');
      for (let i = 0; i < records; i++) w.writeTuple(checkedRecord(i));
    } finally {
      p.close();
    }
    downgradeToV1(base.path, 'trades', ['quotes']);
  }

  it('are refused naming `deepwater migrate`, which upgrades them in place with seqs from 0', async () => {
    base = tempBase();
    writeV1Base(450);
    expect(() => new Platform(base.path)).toThrow(
      expect.objectContaining({
        code: 'ERR_FORMAT_VERSION',
        message: expect.stringMatching(/formatVersion 1.*deepwater migrate -b/),
      }),
    );
    const run = await cli(['migrate', '-b', base.path, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ fromVersion: 1, toVersion: 2, alreadyCurrent: false });
    expect(report.feeds).toEqual(
      expect.arrayContaining([
        { name: 'trades', persist: true, chunks: 5, records: 450 },
        { name: 'quotes', persist: false, chunks: 0, records: 0 },
      ]),
    );
    expect(existsSync(join(base.path, 'feeds', 'trades', 'chunks.reg.v1'))).toBe(true);

    const p = new Platform(base.path);
    try {
      const reader = p.createReader('trades');
      expect(reader.nextSeq()).toBe(450);
      const writer = p.createWriter('trades');
      for (let i = 450; i < 520; i++) writer.writeTuple(checkedRecord(i));
      const rows = reader.rangeSeq(0, 1000) as Row[];
      expect(rows.length).toBe(520);
      expect(rows.every((r, i) => r[1] === i)).toBe(true);
      expect(((reader.stream({ fromSeq: 333 }).tryNext() as Row) ?? [])[1]).toBe(333);
      expect(
        p
          .listFeeds()
          .map((f) => f.name)
          .sort(),
      ).toEqual(['quotes', 'trades']);
    } finally {
      p.close();
    }
    const health = await cli([
      'health',
      '-b',
      base.path,
      '--check-feeds',
      '--max-age-seconds',
      '1e12',
      '--min-free-gb',
      '0',
    ]);
    // The ring feed was never written (its activity check fails); the files of both are consistent.
    expect(health.stdout).toMatch(/ok +feed-files trades +6 chunk\(s\) consistent/);
    expect(health.stdout).not.toMatch(/FAIL +(manifest|registry|feed-files)/);
    const again = await cli(['migrate', '-b', base.path, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyCurrent: true });
  });

  it('a migration interrupted before its last step is finished by running it again', async () => {
    base = tempBase();
    writeV1Base(250);
    expect((await cli(['migrate', '-b', base.path])).code).toBe(0);
    // As if it had died before rewriting feed.json and manifest.json: chunks and registries are v2.
    setJsonVersion(join(base.path, 'feeds', 'trades', 'feed.json'), 1);
    setJsonVersion(join(base.path, 'manifest.json'), 1);
    expect(() => new Platform(base.path)).toThrow(/deepwater migrate/);
    const run = await cli(['migrate', '-b', base.path, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).feeds).toContainEqual({
      name: 'trades',
      persist: true,
      chunks: 3,
      records: 250,
    });
    const p = new Platform(base.path);
    try {
      const rows = p.createReader('trades').rangeSeq(0, 1000) as Row[];
      expect(rows.map((r) => r[1])).toEqual(Array.from({ length: 250 }, (_, i) => i));
    } finally {
      p.close();
    }
  });

  it('migrate refuses while a writer holds a feed, and changes nothing', async () => {
    base = tempBase();
    writeV1Base(10);
    const before = readFileSync(ChunkFile.pathFor(join(base.path, 'feeds', 'trades'), 1));
    const { tryLockFile } = await import('@deepwater/storage-native');
    const lock = tryLockFile(join(base.path, 'feeds', 'trades', 'writer.lock'));
    try {
      const run = await cli(['migrate', '-b', base.path]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `Feed "trades" already has a writer (pid ${process.pid}); cannot migrate the base (nothing was changed)`,
      );
      expect(() => runMigrate(base.path)).toThrow(
        expect.objectContaining({ code: 'ERR_WRITER_LOCKED', feed: 'trades', pid: process.pid }),
      );
    } finally {
      lock?.release();
    }
    // The base's registry lock (a createFeed/deleteFeed in progress) is ERR_REGISTRY_LOCKED.
    const registryLock = tryLockFile(join(base.path, 'registry.lock'));
    try {
      expect(() => runMigrate(base.path)).toThrow(
        expect.objectContaining({
          code: 'ERR_REGISTRY_LOCKED',
          message: expect.stringContaining('nothing was changed'),
        }),
      );
    } finally {
      registryLock?.release();
    }
    expect(readFileSync(ChunkFile.pathFor(join(base.path, 'feeds', 'trades'), 1))).toEqual(before);
  });
});

describe('a future format version', () => {
  let base: TestBase;
  afterEach(() => base.remove());

  it('is refused by the sdk and by migrate, asking for a newer sdk', async () => {
    base = tempBase();
    const p = new Platform(base.path);
    p.createFeed(checkedSpec('trades', CHUNK_MB));
    p.createWriter('trades').writeTuple(checkedRecord(0));
    p.close();
    const chunk = ChunkFile.pathFor(join(base.path, 'feeds', 'trades'), 1);
    const bytes = readFileSync(chunk);
    bytes.writeUInt32LE(3, C.C_VERSION_OFFSET);
    writeFileSync(chunk, bytes);
    const q = new Platform(base.path);
    try {
      expect(() => q.createReader('trades').rangeSeq(0, 10)).toThrow(
        expect.objectContaining({
          code: 'ERR_FORMAT_VERSION',
          message: expect.stringMatching(/chunk version 3.*upgrade @deepwater\/sdk/),
        }),
      );
    } finally {
      q.close();
    }
    setJsonVersion(join(base.path, 'manifest.json'), 3);
    expect(() => new Platform(base.path)).toThrow(/formatVersion 3.*Upgrade @deepwater\/sdk/);
    const run = await cli(['migrate', '-b', base.path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/formatVersion 3/);
  });
});
