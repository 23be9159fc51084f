import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../src/index.js';
import { closeFileLogger, createFileLogger } from '../../src/ops/logging.js';
import { CHUNK_CLOSED } from '../../src/registry/layout.js';
import { readAll, type TestBase, TRADE_FIELDS, tempBase, writeFeed } from './helpers/bases.js';
import { spawnTs } from './helpers/child.js';
import { feedDir, withRegistry } from './helpers/corrupt.js';

const SPEC = { feedName: 'trades', fields: TRADE_FIELDS, tsCol: 'timestamp_us', chunkSizeBytes: 240 };

describe('library lifecycle seen by an operator', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, []);
  });
  afterEach(() => base.remove());

  it('a Platform given createFileLogger writes its warnings into <base>/deepwater.log', async () => {
    unlinkSync(join(feedDir(base.path), 'feed.json'));
    const logger = createFileLogger(base.path);
    const platform = new Platform(base.path, { logger });
    platform.createFeed(SPEC);
    platform.close();
    await closeFileLogger(logger);
    const lines = readFileSync(join(base.path, 'deepwater.log'), 'utf8').trim().split('\n');
    const line = lines.map((l) => JSON.parse(l)).find((entry) => entry.level === 40);
    expect(line).toMatchObject({
      level: 40,
      feed: 'trades',
      msg: 'feed.json missing for a registered feed; rewriting it',
    });
  });

  it('opening a base of another format version names both versions and what to do', () => {
    writeFileSync(join(base.path, 'manifest.json'), JSON.stringify({ formatVersion: 99 }));
    expect(() => new Platform(base.path)).toThrow(
      /formatVersion 99.*formatVersion 2.*Upgrade @deepwater\/sdk/,
    );
  });

  it('deleteFeed refuses while a writer in another process holds the feed', async () => {
    const writer = spawnTs('signal-writer.ts', [base.path, 'trades']);
    const { pid } = await writer.line('ready');
    const platform = new Platform(base.path);
    try {
      expect(() => platform.deleteFeed('trades')).toThrow(
        `already has a writer (pid ${pid}); cannot delete the feed while it is open`,
      );
      writer.process.kill('SIGKILL');
      await writer.exited;
      expect(platform.deleteFeed('trades')).toBe(true);
    } finally {
      platform.close();
    }
  });

  it("SIGTERM seals the writer's chunk and still runs the application's own handler", async () => {
    const writer = spawnTs('signal-writer.ts', [base.path, 'trades', 'with-app-handler']);
    await writer.line('ready');
    writer.process.kill('SIGTERM');
    expect(await writer.line('appHandler')).toEqual({ appHandler: true });
    expect((await writer.exited).code).toBe(0);
    expect(withRegistry(base.path, (r) => r.chunk(1)?.state)).toBe(CHUNK_CLOSED);
    expect(readAll(base.path)).toEqual([
      [0, 1, 1000],
      [1, 1, 1001],
      [2, 1, 1002],
    ]);
  });

  it('without an application handler, SIGTERM seals the chunk and still terminates the process', async () => {
    const writer = spawnTs('signal-writer.ts', [base.path, 'trades']);
    await writer.line('ready');
    writer.process.kill('SIGTERM');
    expect((await writer.exited).signal).toBe('SIGTERM');
    expect(withRegistry(base.path, (r) => r.chunk(1)?.state)).toBe(CHUNK_CLOSED);
  });
});
