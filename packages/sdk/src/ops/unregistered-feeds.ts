import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chunkIdsOnDisk } from '../disk/rebuild-registry.js';
import type { Logger } from '../logger.js';
import { FEED_CONFIG_FILE, readFeedConfig } from '../platform/feed-store.js';
import { Platform } from '../platform/platform.js';
import { FEEDS_DIR, feedDirOf } from './feed-config.js';
import type { FeedProblem } from './scan-feed.js';

/**
 * Feed directories that hold a feed (feed.json or chunk files) but have no slot in feeds.reg — the
 * registry file was lost or a slot's state word damaged. Readers cannot see them; `repair --all`
 * re-registers them from their feed.json (createFeed adopts the data), health fails on them.
 */
export function unregisteredFeedDirs(basePath: string, registered: readonly string[]): string[] {
  const feedsDir = join(basePath, FEEDS_DIR);
  if (!existsSync(feedsDir)) return [];
  return readdirSync(feedsDir)
    .filter((name) => !name.startsWith('.') && !registered.includes(name))
    .filter((name) => {
      const dir = feedDirOf(basePath, name);
      if (!statSync(dir).isDirectory()) return false;
      return existsSync(join(dir, FEED_CONFIG_FILE)) || chunkIdsOnDisk(dir).length > 0;
    })
    .sort();
}

/** The problem for one unregistered feed directory; with `fix`, re-registers it (adopting its data). */
export function unregisteredFeedProblem(
  basePath: string,
  feed: string,
  fix: boolean,
  logger: Logger,
): FeedProblem {
  const dir = feedDirOf(basePath, feed);
  const stored = (() => {
    try {
      return readFeedConfig(dir, feed);
    } catch {
      return undefined;
    }
  })();
  const problem: FeedProblem = {
    feed,
    kind: 'unregistered-feed',
    severity: 'error',
    path: dir,
    message: `feed directory ${dir} holds ${chunkIdsOnDisk(dir).length} chunk file(s) but feeds.reg has no entry for "${feed}" (readers cannot see it)`,
    fixed: false,
  };
  if (stored === undefined) {
    problem.message += `; its ${FEED_CONFIG_FILE} is missing or unreadable, so createFeed with the feed's original spec adopts it`;
    return problem;
  }
  problem.fix = `re-register "${feed}" from its ${FEED_CONFIG_FILE} (createFeed adopts the existing chunk files)`;
  if (!fix) return problem;
  const platform = new Platform(basePath, { logger });
  try {
    platform.createFeed(stored.config);
    problem.fixed = true;
  } finally {
    platform.close();
  }
  return problem;
}
