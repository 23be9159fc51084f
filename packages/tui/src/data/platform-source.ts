import { Platform, type Reader } from '@deepwater/sdk';
import { assertBaseExists } from './base-path.js';
import { readBridgeStatuses } from './bridge-status.js';
import { diskSpace } from './disk-space.js';
import { feedNames, normalizeFeedStatus, normalizeSchema } from './normalize.js';
import type { BaseSnapshot, FeedSchema, FeedSnapshot, StatusSource } from './types.js';

/** The part of the sdk's Platform the dashboard uses: all of it reads shared state only. */
export type PlatformLike = Pick<
  Platform,
  'listFeeds' | 'feedStatus' | 'getRecordFormat' | 'createReader' | 'close'
>;

/** The part of the sdk's Reader the dashboard uses. */
export type ReaderLike = Pick<Reader, 'latest' | 'close'>;

const MAX_WINDOW_SECONDS = 7 * 86400;

/** A StatusSource over a real base, read through the sdk's status API. */
export class PlatformSource implements StatusSource {
  private closed = false;

  constructor(
    readonly basePath: string,
    private readonly platform: PlatformLike,
  ) {}

  clockUs(): number {
    return Date.now() * 1000;
  }

  snapshot(): BaseSnapshot {
    const takenAtUs = this.clockUs();
    const feeds: FeedSnapshot[] = feedNames(this.platform.listFeeds()).map((name) => {
      try {
        return normalizeFeedStatus(this.platform.feedStatus(name), name);
      } catch (error) {
        // One feed being re-created or half-deleted must not blank the whole dashboard.
        const feed = normalizeFeedStatus({}, name);
        feed.error = error instanceof Error ? error.message : String(error);
        return feed;
      }
    });
    return {
      basePath: this.basePath,
      takenAtUs,
      feeds,
      storage: diskSpace(this.basePath),
      error: null,
      bridges: readBridgeStatuses(this.basePath),
    };
  }

  schema(feed: string): FeedSchema {
    return normalizeSchema(this.platform.getRecordFormat(feed));
  }

  /**
   * latest() is time-based, so pick a window that should hold about `count` records at the
   * observed rate and widen it until it does: a guess of "the last second" would decode a million
   * records on a busy feed just to show five.
   */
  latestRecords(feed: string, count: number, recordsPerSecondHint: number | null): Record<string, unknown>[] {
    const reader = this.platform.createReader(feed);
    try {
      let window =
        recordsPerSecondHint && recordsPerSecondHint > 0 ? Math.min(60, count / recordsPerSecondHint) : 1;
      // 10 µs: at millions of records per second a millisecond would still decode thousands.
      window = Math.max(window, 1e-5);
      for (;;) {
        const rows = reader.latest(window, { format: 'object' });
        const list = Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
        if (list.length >= count || window >= MAX_WINDOW_SECONDS) return list.slice(-count);
        window *= 8;
      }
    } finally {
      reader.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.platform.close();
  }
}

/** Opens a real base, refusing a missing one instead of letting the sdk create it. */
export async function openPlatformSource(basePath: string): Promise<PlatformSource> {
  const absolute = assertBaseExists(basePath);
  return new PlatformSource(absolute, new Platform(absolute));
}
