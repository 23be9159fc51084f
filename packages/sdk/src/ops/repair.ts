import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeepwaterRangeError } from '@deepwater/errors';
import { quarantineFile } from '../disk/rebuild-registry.js';
import type { DeepwaterError } from '../errors.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import { feedNameProblem } from '../platform/feed-name.js';
import { GlobalRegistry } from '../registry/global-registry.js';
import { GLOBAL_REGISTRY_FILE } from '../registry/layout.js';
import { manifestIsCurrent } from '../registry/manifest.js';
import { listFeedNames } from './retention.js';
import {
  countChunks,
  type FeedProblem,
  type FeedScanResult,
  type ScanOptions,
  scanFeed,
} from './scan-feed.js';
import { unregisteredFeedDirs, unregisteredFeedProblem } from './unregistered-feeds.js';

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
  /** Problems of the base itself (feeds.reg), before any feed. */
  base: FeedProblem[];
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
  const base = baseRegistryProblems(basePath, !dryRun, logger);
  const garbage = garbageSlotProblems(basePath, base.feeds, !dryRun, logger);
  base.problems.push(...garbage.problems);
  const registered = base.feeds.filter((name) => !garbage.names.includes(name));
  const unregistered = unregisteredFeedDirs(basePath, registered);
  const known = [...registered, ...unregistered];
  const feeds = options.feeds ?? known;
  for (const feed of feeds) {
    if (!known.includes(feed) && !existsSync(join(basePath, 'feeds', feed))) {
      throw new DeepwaterRangeError(
        `feed "${feed}" is not in ${basePath} (feeds: ${known.join(', ') || 'none'})`,
      );
    }
  }
  options.onStart?.(feeds.reduce((n, f) => n + countChunks(basePath, f), 0));
  const report: RepairReport = {
    basePath,
    dryRun,
    base: base.problems,
    feeds: [],
    problems: 0,
    fixed: 0,
    remaining: 0,
  };
  for (const problem of base.problems) {
    report.problems++;
    if (problem.fixed) report.fixed++;
    else report.remaining++;
  }
  for (const feed of feeds) {
    const registration = unregistered.includes(feed)
      ? unregisteredFeedProblem(basePath, feed, !dryRun, logger)
      : undefined;
    const scan = scanOrReport(basePath, feed, { fix: !dryRun, deep: true, logger, onChunk: options.onChunk });
    if (registration !== undefined) scan.problems.unshift(registration);
    report.feeds.push(scan);
    for (const problem of scan.problems) {
      report.problems++;
      if (problem.fixed) {
        report.fixed++;
        logger.info(
          { feed, kind: problem.kind, chunkId: problem.chunkId, path: problem.path, fix: problem.fix },
          `repair: ${problem.message}; did: ${problem.fix}`,
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

/**
 * Scans one feed; an unexpected failure (a file vanishing mid-scan, an I/O error) becomes an
 * unfixed error-severity problem of that feed, so repair still exits 1, never 2, for what it found.
 */
function scanOrReport(basePath: string, feed: string, options: ScanOptions): FeedScanResult {
  try {
    return scanFeed(basePath, feed, options);
  } catch (error) {
    return {
      feed,
      persist: true,
      writerPid: null,
      chunksScanned: 0,
      recordsScanned: 0,
      quarantined: [],
      problems: [
        {
          feed,
          kind: 'scan-failed',
          severity: 'error',
          message: `scanning feed "${feed}" failed: ${(error as Error).message}`,
          fixed: false,
        },
      ],
    };
  }
}

/**
 * Registry slots whose name no sdk could have written (a damaged slot): cleared once — marked
 * deleted, its bytes kept — instead of being reported as a missing feed on every run. A feed
 * directory is never touched here; a real feed's directory is re-registered from its feed.json.
 */
function garbageSlotProblems(
  basePath: string,
  names: readonly string[],
  fix: boolean,
  logger: Logger,
): { names: string[]; problems: FeedProblem[] } {
  const bad = names.filter((name) => feedNameProblem(name) !== undefined);
  if (bad.length === 0) return { names: [], problems: [] };
  const path = join(basePath, GLOBAL_REGISTRY_FILE);
  const problems = bad.map(
    (name): FeedProblem => ({
      feed: '',
      kind: 'registry-slot',
      severity: 'error',
      path,
      message: `a slot of ${path} names feed ${JSON.stringify(name)}, which is not a valid feed name (a damaged slot)`,
      fix: 'clear the slot (mark it deleted; its bytes stay in the file)',
      fixed: false,
    }),
  );
  if (fix) {
    const registry = new GlobalRegistry(basePath);
    try {
      registry.withLock(() => {
        for (const [i, name] of bad.entries()) {
          problems[i].fixed = registry.remove(name);
          logger.warn({ path, name }, 'repair: cleared a feeds.reg slot with an invalid feed name');
        }
      });
    } finally {
      registry.close();
    }
  }
  return { names: bad, problems };
}

/**
 * The registered feed names, or — when feeds.reg itself cannot be read — a problem whose fix sets
 * the file aside (`feeds.reg.corrupt`): every feed directory then shows up unregistered and is
 * re-registered from its feed.json, adopting its data.
 */
function baseRegistryProblems(
  basePath: string,
  fix: boolean,
  logger: Logger,
): { feeds: string[]; problems: FeedProblem[] } {
  try {
    return { feeds: listFeedNames(basePath), problems: [] };
  } catch (error) {
    const code = (error as DeepwaterError).code;
    // Another version in feeds.reg while the manifest names ours: a damaged word, not a newer sdk.
    if (code !== 'ERR_CORRUPT' && !(code === 'ERR_FORMAT_VERSION' && manifestIsCurrent(basePath)))
      throw error;
    const path = join(basePath, GLOBAL_REGISTRY_FILE);
    const problem: FeedProblem = {
      feed: '',
      kind: 'registry-corrupt',
      severity: 'error',
      path,
      message: (error as Error).message,
      fix: `rename it to ${path}.corrupt; every feed directory is then re-registered from its feed.json`,
      fixed: false,
    };
    if (fix) {
      const moved = quarantineFile(path);
      logger.warn({ path, movedTo: moved }, `repair: set aside unreadable ${path}`);
      problem.fixed = true;
    }
    return { feeds: [], problems: [problem] };
  }
}
