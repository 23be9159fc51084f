import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaseUnavailableError, Platform } from '../src/index.js';
import { useChildren } from './helpers/child.js';
import { TRADE_FIELDS, tradeSpec, useTempBase } from './helpers/temp-base.js';

describe('Platform and the base directory', () => {
  const t = useTempBase();
  const spawnChild = useChildren();

  it('writes manifest.json with the format version and refuses an incompatible one, naming both', () => {
    const base = t.base();
    t.open(base).close();
    const manifestPath = join(base, 'manifest.json');
    expect(JSON.parse(readFileSync(manifestPath, 'utf8')).formatVersion).toBe(2);
    writeFileSync(manifestPath, JSON.stringify({ formatVersion: 99 }));
    expect(() => new Platform(base)).toThrow(/formatVersion 99.*formatVersion 2.*Upgrade/);
    try {
      new Platform(base);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_FORMAT_VERSION');
    }
  });

  it('a base path that cannot be a directory is a BaseUnavailableError naming it, the system error as cause', () => {
    const file = join(t.base(), 'not-a-dir');
    mkdirSync(t.base(), { recursive: true });
    writeFileSync(file, 'x');
    for (const [path, code] of [
      [file, 'EEXIST'],
      [join(file, 'base'), 'ENOTDIR'],
    ] as const) {
      let error: unknown;
      try {
        new Platform(path, { logger: false });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(BaseUnavailableError);
      expect(error).toMatchObject({ code: 'ERR_BASE_UNAVAILABLE', path, cause: { code } });
      expect((error as Error).message).toBe(
        `Cannot open the base ${path}: a file is where the base directory or one of its parents should be (${code})`,
      );
    }
  });

  it('describes feeds: listFeeds, describeFeed, lifecycle and getRecordFormat', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { mode: 'IF', chunkSizeMb: 0.5, retentionHours: 0 }));
    p.createFeed({
      feed_name: 'book',
      fields: TRADE_FIELDS,
      ts_col: 'timestamp_us',
      persist: false,
    } as never);
    const feeds = p.listFeeds();
    expect(feeds.map((f) => [f.name, f.persist, f.mode])).toEqual([
      ['book', false, 'UF'],
      ['trades', true, 'IF'],
    ]);
    expect(p.describeFeed('trades')).toMatchObject({
      recordSize: 24,
      fmt: '<ddQ',
      chunkSizeBytes: 524_288,
      chunkSizeMb: 0.5,
    });
    expect(p.lifecycle('trades')).toEqual({
      chunkSizeBytes: 524_288,
      chunkSizeMb: 0.5,
      retentionHours: 0,
      persist: true,
      mode: 'IF',
      indexPlayback: false,
      durability: 'page-cache',
    });
    expect(p.getRecordFormat('trades')).toEqual({
      fmt: '<ddQ',
      recordSize: 24,
      fields: [
        { name: 'price', type: 'float64', offset: 0, size: 8 },
        { name: 'size', type: 'float64', offset: 8, size: 8 },
        { name: 'timestamp_us', type: 'uint64', offset: 16, size: 8 },
      ],
      tsCol: 'timestamp_us',
      tsOffset: 16,
    });
    // A ring feed keeps its config in the feed directory, with no chunk registry.
    expect(existsSync(join(t.base(), 'feeds', 'book', 'feed.json'))).toBe(true);
    expect(existsSync(join(t.base(), 'feeds', 'book', 'chunks.reg'))).toBe(false);
    // Another platform on the same base, by a relative path, sees the same feeds.
    const other = t.open(relative(process.cwd(), t.base()));
    expect(other.listFeeds().map((f) => f.name)).toEqual(['book', 'trades']);
  });

  it('reports feed status from the mapped registries', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: 96 / 1_048_576 }));
    const w = p.createWriter('trades');
    for (let ts = 10; ts < 20; ts++) w.writeValues(1, 1, ts);
    const status = p.feedStatus('trades');
    expect(status).toMatchObject({
      name: 'trades',
      persist: true,
      records: 10,
      firstTs: 10,
      lastTs: 19,
      chunkCount: 3,
      writerPid: process.pid,
      retentionHours: 72,
    });
    expect(status.chunks.map((c) => [c.id, c.state, c.records, c.firstTs, c.lastTs])).toEqual([
      [1, 'full', 4, 10, 13],
      [2, 'full', 4, 14, 17],
      [3, 'active', 2, 18, 19],
    ]);
    expect(status.bytesOnDisk).toBeGreaterThan(0);
    expect(Math.abs((status.lastAppendUs ?? 0) - Date.now() * 1000)).toBeLessThan(60_000_000);
    w.close();
    expect(p.feedStatus('trades')).toMatchObject({ writerPid: null, records: 10 });
    expect(p.feedStatus('trades').chunks[2].state).toBe('closed');
  });

  it('finishes a createFeed that crashed half-way', () => {
    const base = t.base();
    t.open(base).close();
    // Leftovers of a crashed creation: a directory with a stray temp file and a chunk, no registry slot.
    const dir = join(base, 'feeds', 'trades');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'feed.json.tmp-1-x'), '{"half');
    writeFileSync(join(dir, 'chunk-0000000001.dat'), 'junk');
    const p = t.open(base);
    p.createFeed(tradeSpec('trades'));
    const w = p.createWriter('trades');
    w.writeValues(1, 2, 3);
    expect(p.createReader('trades').range(0, 10)).toEqual([[1, 2, 3]]);
    w.close();
    // A registered feed whose feed.json vanished is repaired by createFeed.
    unlinkSync(join(dir, 'feed.json'));
    const again = t.open(base);
    again.createFeed(tradeSpec('trades'));
    expect(again.createReader('trades').range(0, 10)).toEqual([[1, 2, 3]]);
  });

  it('deletes a feed and lets it be created again with another schema', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades'));
    const w = p.createWriter('trades');
    w.writeValues(1, 2, 3);
    w.close();
    expect(p.deleteFeed('trades')).toBe(true);
    expect(p.listFeeds()).toEqual([]);
    expect(existsSync(join(t.base(), 'feeds', 'trades'))).toBe(false);
    p.createFeed({ feedName: 'trades', fields: [{ name: 'ts', type: 'int64' }], tsCol: 'ts' });
    expect(p.getRecordFormat('trades').fmt).toBe('<q');
    expect(p.createReader('trades').range(0, 10)).toEqual([]);
  });

  it('close() closes every writer and reader it created, releasing the writer lock', () => {
    const base = t.base();
    const p = new Platform(base);
    p.createFeed(tradeSpec('trades'));
    const w = p.createWriter('trades');
    const r = p.createReader('trades');
    const s = r.stream();
    p.close();
    expect(w.closed).toBe(true);
    expect(r.closed).toBe(true);
    expect(s.closed).toBe(true);
    t.open(base).createWriter('trades').close();
  });

  it.each([
    ['exit', { code: 0, signal: null }],
    ['signal', { code: null, signal: 'SIGTERM' }],
    ['signal-with-app-handler', { code: 7, signal: null }],
  ])('closes writers cleanly on %s, keeping the outcome the application chose', async (how, outcome) => {
    const base = t.base();
    const child = spawnChild('exit-child.ts', [base, 'feed', how]);
    await child.line('ready');
    if (how !== 'exit') child.process.kill('SIGTERM');
    if (how === 'signal-with-app-handler')
      expect(await child.line('appHandler')).toEqual({ appHandler: true });
    const exited = await child.exited;
    expect({ code: exited.code, signal: exited.signal }).toEqual(outcome);
    const status = t.open(base).feedStatus('feed');
    expect(status.chunks.map((c) => [c.state, c.records])).toEqual([['closed', 3]]);
  });

  it('leaves SIGTERM its default effect in a reader-only process spinning in a sync stream', async () => {
    const child = spawnChild('spin-reader.ts', [t.base(), 'feed']);
    await child.line('ready');
    child.process.kill('SIGTERM');
    const exited = await child.exited;
    expect(exited.signal).toBe('SIGTERM');
  });
});
