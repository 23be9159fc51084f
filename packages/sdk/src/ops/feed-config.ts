import { join } from 'node:path';
import { DeepwaterError } from '@deepwater/errors';
import { createCodec, type RecordCodec, type RecordLayout } from '@deepwater/schema-wasm';
import type { FeedConfig } from '../platform/feed-spec.js';
import { compileFeedLayout, feedDirExists, feedDirOf, readFeedConfig } from '../platform/feed-store.js';

export { FEEDS_DIR, feedDirOf, WRITER_LOCK_FILE } from '../platform/feed-store.js';

export interface LoadedFeed {
  config: FeedConfig;
  layout: RecordLayout;
  codec: RecordCodec;
}

/**
 * A feed's feed.json, read-only, with its compiled layout. Throws ERR_FEED_NOT_FOUND when it is
 * missing and ERR_CORRUPT when it disagrees with itself.
 */
export function loadFeed(basePath: string, feed: string): LoadedFeed {
  const feedDir = feedDirOf(basePath, feed);
  // A linked feeds/ or feeds/<name> is refused here, before any tool reads or changes what it points at.
  const stored = feedDirExists(basePath, feed) ? readFeedConfig(feedDir, feed) : undefined;
  if (stored === undefined) {
    throw new DeepwaterError('ERR_FEED_NOT_FOUND', `Feed "${feed}": ${feedDir}/feed.json is missing`, {
      feed,
      path: join(feedDir, 'feed.json'),
    });
  }
  const layout = compileFeedLayout(stored.config);
  // recordSize and fmt are written from the fields: if they disagree, feed.json was edited by hand.
  for (const [key, actual] of [
    ['recordSize', layout.recordSize],
    ['fmt', layout.fmt],
  ] as const) {
    const written = stored.derived[key];
    if (written !== undefined && written !== actual) {
      throw new DeepwaterError(
        'ERR_CORRUPT',
        `Feed "${feed}": ${feedDir}/feed.json key ${key} is ${JSON.stringify(written)} but its fields give ${JSON.stringify(actual)}: feed.json was edited; restore it (nothing was touched)`,
        { feed, path: join(feedDir, 'feed.json') },
      );
    }
  }
  return { config: stored.config, layout, codec: createCodec(layout, { feedName: feed }) };
}
