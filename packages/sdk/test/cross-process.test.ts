import { describe, expect, it } from 'vitest';
import { Platform } from '../src/index.js';
import { checkedSpec, TS_BASE } from './fixtures/checked-feed.js';
import { useChildren } from './helpers/child.js';
import { useTempBase } from './helpers/temp-base.js';

// 24-byte records, 0.002 MiB chunks: 87 records per chunk, so every run rotates thousands of times.
const TINY_CHUNK_MB = 0.002;

describe('a writer process and reader processes', () => {
  const t = useTempBase();
  const spawnChild = useChildren();

  it('delivers every record exactly once, in order and intact, to sync, async and polling readers across many rotations', async () => {
    const base = t.base();
    const setup = new Platform(base);
    setup.createFeed(checkedSpec('live', TINY_CHUNK_MB));
    setup.close();
    const total = 60_000;
    const readers = ['sync', 'async', 'poll'].map((mode) =>
      spawnChild('reader.ts', [base, 'live', mode, total]),
    );
    await Promise.all(readers.map((r) => r.line('ready')));
    const writer = spawnChild('writer.ts', [base, 'live', total, TINY_CHUNK_MB]);
    expect(await writer.line('done')).toEqual({ done: total });
    const results = await Promise.all(readers.map((r) => r.line('received')));
    for (const result of results) {
      expect(result).toEqual({ received: total, firstSeq: 0, lastSeq: total - 1, problems: [] });
    }
    const check = t.open(base);
    expect(check.feedStatus('live').chunkCount).toBeGreaterThan(600);
  });

  it('replays from a timestamp in the middle of a multi-chunk feed and hands off to live without gaps or duplicates', async () => {
    const base = t.base();
    const history = 20_000;
    const live = 20_000;
    const first = spawnChild('writer.ts', [base, 'replay', history, TINY_CHUNK_MB, 0]);
    expect(await first.line('done')).toEqual({ done: history });
    await first.exited;
    const from = 7_000; // even: its timestamp's first record
    const expected = history - from + live;
    const readers = ['sync', 'async'].map((mode) =>
      spawnChild('reader.ts', [base, 'replay', mode, expected, TS_BASE + from / 2]),
    );
    await Promise.all(readers.map((r) => r.line('ready')));
    // The second writer appends while the readers are still replaying history.
    const second = spawnChild('writer.ts', [base, 'replay', live, TINY_CHUNK_MB, history]);
    expect(await second.line('done')).toEqual({ done: live });
    for (const result of await Promise.all(readers.map((r) => r.line('received')))) {
      expect(result).toEqual({
        received: expected,
        firstSeq: from,
        lastSeq: history + live - 1,
        problems: [],
      });
    }
  });
});
