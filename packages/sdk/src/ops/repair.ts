import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import { listFeedNames } from './retention.js';
import { countChunks, type FeedScanResult, scanFeed } from './scan-feed.js';

export interface RepairOptions {
  /** Feed names to repair; undefined = every feed in the registry. */
  feeds?: string[];
  /** Report only, change nothing. */
  dryRun?: boolean;
  logger?: Logger;
  onStart?: (totalChunks: number) => void;
  onChunk?: () => void;
}

export interface RepairReport {
  basePath: string;
  dryRun: boolean;
  feeds: FeedScanResult[];
  /** Problems found, across feeds. */
  problems: number;
  /** Problems repair fixed (0 in a dry run). */
  fixed: number;
  /** Problems left: found and not fixed (in a dry run, every problem). */
  remaining: number;
}

/**
 * Scans (and unless dryRun, fixes) the named feeds: counts vs. data, timestamp bounds rebuilt from
 * the records, timestamp order, torn tails, missing files, orphan files, registry entries beyond the
 * data. Each feed is repaired under its writer lock, so a live writer's feed is reported, not touched.
 */
export function runRepair(basePathInput: string, options: RepairOptions = {}): RepairReport {
  const basePath = resolve(basePathInput);
  const dryRun = options.dryRun ?? false;
  const logger = options.logger ?? noopLogger;
  const known = listFeedNames(basePath);
  const feeds = options.feeds ?? known;
  for (const feed of feeds) {
    if (!known.includes(feed) && !existsSync(join(basePath, 'feeds', feed))) {
      throw new RangeError(`feed "${feed}" is not in ${basePath} (feeds: ${known.join(', ') || 'none'})`);
    }
  }
  options.onStart?.(feeds.reduce((n, f) => n + countChunks(basePath, f), 0));
  const report: RepairReport = { basePath, dryRun, feeds: [], problems: 0, fixed: 0, remaining: 0 };
  for (const feed of feeds) {
    const scan = scanFeed(basePath, feed, { fix: !dryRun, deep: true, logger, onChunk: options.onChunk });
    report.feeds.push(scan);
    for (const problem of scan.problems) {
      report.problems++;
      if (problem.fixed) {
        report.fixed++;
        logger.info(
          { feed, kind: problem.kind, chunkId: problem.chunkId, fix: problem.fix },
          `repair: ${problem.message}`,
        );
      } else {
        report.remaining++;
        if (!dryRun)
          logger.warn(
            { feed, kind: problem.kind, chunkId: problem.chunkId },
            `repair: not fixed: ${problem.message}`,
          );
      }
    }
  }
  return report;
}
