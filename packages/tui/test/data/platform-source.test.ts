import { describe, expect, it } from 'vitest';
import { type PlatformLike, PlatformSource } from '../../src/data/platform-source.js';

/** A feed of one record per millisecond for 10 s, answering latest() as the sdk does. */
function fakePlatform() {
  const records = Array.from({ length: 10_000 }, (_, i) => ({ seq: i, ts: 1_000_000 + i * 1000 }));
  const log = { windows: [] as number[], readersOpen: 0 };
  // Only what PlatformSource calls, with the sdk's shapes reduced to the fields it reads.
  const platform = {
    listFeeds: () => [{ name: 'ticks' }],
    feedStatus: (_name: string) => ({ name: 'ticks', records: records.length }),
    getRecordFormat: () => ({ fmt: '<QQ', recordSize: 16, tsCol: 'ts', fields: [] }),
    createReader: () => {
      log.readersOpen++;
      return {
        latest: (seconds: number) => {
          log.windows.push(seconds);
          const newest = records[records.length - 1].ts;
          return records.filter((r) => r.ts >= newest - seconds * 1e6);
        },
        close: () => {
          log.readersOpen--;
        },
      };
    },
    close: () => {},
  };
  return { platform, source: () => new PlatformSource('/base', platform as unknown as PlatformLike), log };
}

describe('PlatformSource.latestRecords', () => {
  it('sizes the latest() window from the rate so that it decodes about the records it shows', () => {
    const { source, log } = fakePlatform();
    const rows = source().latestRecords('ticks', 5, 1000);
    expect(rows.map((r) => r.seq)).toEqual([9995, 9996, 9997, 9998, 9999]);
    expect(log.windows).toEqual([0.005]);
    expect(log.readersOpen).toBe(0);
  });

  it('widens the window until it holds enough records when the rate is unknown or wrong', () => {
    const { source, log } = fakePlatform();
    const rows = source().latestRecords('ticks', 5, 1e9);
    expect(rows).toHaveLength(5);
    expect(log.windows.length).toBeGreaterThan(1);
    for (let i = 1; i < log.windows.length; i++) expect(log.windows[i]).toBe(log.windows[i - 1] * 8);
    expect(log.readersOpen).toBe(0);
  });

  it('returns what there is for a feed shorter than the count, and closes its reader on errors', () => {
    const { platform, source: open, log } = fakePlatform();
    const source = open();
    expect(source.latestRecords('ticks', 50_000, null)).toHaveLength(10_000);
    platform.createReader = () => {
      log.readersOpen++;
      return {
        latest: () => {
          throw new Error('feed deleted');
        },
        close: () => {
          log.readersOpen--;
        },
      };
    };
    expect(() => source.latestRecords('ticks', 5, null)).toThrow('feed deleted');
    expect(log.readersOpen).toBe(0);
  });

  it('keeps the other feeds when one feed status cannot be read', () => {
    const { platform, source } = fakePlatform();
    platform.listFeeds = () => [{ name: 'ticks' }, { name: 'broken' }];
    const good = platform.feedStatus;
    platform.feedStatus = (name) => {
      if (name === 'broken') throw new Error('Feed "broken": registry is being re-created');
      return good(name);
    };
    const snapshot = source().snapshot();
    expect(snapshot.feeds.map((f) => [f.name, f.records, f.error])).toEqual([
      ['ticks', 10_000, null],
      ['broken', 0, 'Feed "broken": registry is being re-created'],
    ]);
  });
});
