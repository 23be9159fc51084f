import { accessSync, constants, existsSync, readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BaseUnavailableError } from '../errors.js';
import { Platform } from '../platform/platform.js';
import { UNITS_PER_SECOND } from '../reader/time-bound.js';
import { GlobalRegistry } from '../registry/global-registry.js';
import { FORMAT_VERSION, GLOBAL_REGISTRY_FILE } from '../registry/layout.js';
import { MANIFEST_FILE } from '../registry/manifest.js';
import { FEEDS_DIR, loadFeed } from './feed-config.js';
import { summarizeFeed } from './feed-summary.js';
import { scanFeed } from './scan-feed.js';
import { unregisteredFeedDirs } from './unregistered-feeds.js';

export interface HealthCheck {
  /** Stable id: 'manifest', 'registry', 'disk-space', 'feed-files', 'feed-activity'. */
  check: string;
  ok: boolean;
  feed?: string;
  /** Why it failed, or a short note when it passed. */
  reason: string;
  details?: Record<string, unknown>;
}

export interface HealthReport {
  healthy: boolean;
  basePath: string;
  checkedAtUs: number;
  checks: HealthCheck[];
}

export interface HealthOptions {
  /** Also check every feed's files and recent write activity. */
  checkFeeds?: boolean;
  /** A feed whose newest write is older than this fails (default 300). */
  maxAgeSeconds?: number;
  /** Free space below this fails (default 1 GiB). */
  minFreeGb?: number;
  /** Wall clock in µs (tests pin it). */
  nowUs?: number;
}

/** A ring feed's status from the ring backend (only `lastTs` is used). */
type RingStatusOf = (feed: string) => { lastTs?: unknown } | undefined;

export const DEFAULT_MAX_AGE_SECONDS = 300;
export const DEFAULT_MIN_FREE_GB = 1;
const GIB = 1024 ** 3;

export { BaseUnavailableError } from '../errors.js';

/**
 * Checks a base without creating or changing anything in it: manifest, global registry, each feed's
 * registry against its chunk files, recent writes, and disk space. Every failing check is listed.
 */
export function checkHealth(basePathInput: string, options: HealthOptions = {}): HealthReport {
  const basePath = resolve(basePathInput);
  assertBaseReadable(basePath);
  const nowUs = options.nowUs ?? Date.now() * 1000;
  const checks: HealthCheck[] = [];
  const manifestOk = checkManifest(basePath, checks);
  const feeds = manifestOk ? checkRegistry(basePath, checks) : null;
  checkDiskSpace(basePath, options.minFreeGb ?? DEFAULT_MIN_FREE_GB, checks);
  if (options.checkFeeds && feeds !== null) {
    // Opened only for ring feeds, and only once the manifest and registry proved the base valid,
    // so the Platform constructor finds everything in place and creates nothing.
    let platform: Platform | undefined;
    const ringStatus: RingStatusOf = (feed) => {
      platform ??= new Platform(basePath);
      return platform.feedStatus(feed).ring;
    };
    for (const feed of unregisteredFeedDirs(basePath, feeds)) {
      checks.push({
        check: 'feed-files',
        feed,
        ok: false,
        reason: `${join(basePath, FEEDS_DIR, feed)} holds a feed that feeds.reg does not list (readers cannot see it): run \`deepwater repair --all\` to re-register it`,
      });
    }
    try {
      for (const feed of feeds) {
        try {
          checkFeed(basePath, feed, nowUs, options, checks, ringStatus);
        } catch (error) {
          // A file health cannot even read is a failed check of that feed, not a crash of health.
          checks.push({ check: 'feed-files', feed, ok: false, reason: (error as Error).message });
        }
      }
    } finally {
      platform?.close();
    }
  }
  return { healthy: checks.every((c) => c.ok), basePath, checkedAtUs: nowUs, checks };
}

function assertBaseReadable(basePath: string): void {
  if (!existsSync(basePath)) throw new BaseUnavailableError(`base path ${basePath} does not exist`, basePath);
  if (!statSync(basePath).isDirectory())
    throw new BaseUnavailableError(`base path ${basePath} is not a directory`, basePath);
  try {
    accessSync(basePath, constants.R_OK | constants.X_OK);
    readdirSync(basePath);
  } catch (error) {
    throw new BaseUnavailableError(
      `base path ${basePath} is not readable (${(error as NodeJS.ErrnoException).code})`,
      basePath,
    );
  }
}

function checkManifest(basePath: string, checks: HealthCheck[]): boolean {
  const path = join(basePath, MANIFEST_FILE);
  const fail = (reason: string) => {
    checks.push({ check: 'manifest', ok: false, reason });
    return false;
  };
  if (!existsSync(path)) return fail(`${path} is missing (not a Deepwater base, or it was never opened)`);
  let manifest: { formatVersion?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(`${path} is unreadable or not JSON (${(error as Error).message})`);
  }
  if (!Number.isInteger(manifest?.formatVersion)) return fail(`${path} has no integer formatVersion`);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    return fail(
      `${path} has formatVersion ${manifest.formatVersion}, this @deepwater/sdk speaks ${FORMAT_VERSION}` +
        ((manifest.formatVersion as number) > FORMAT_VERSION
          ? ': upgrade @deepwater/sdk'
          : ': open it with the sdk version that wrote it, or export and re-import its feeds'),
    );
  }
  checks.push({ check: 'manifest', ok: true, reason: `formatVersion ${FORMAT_VERSION}` });
  return true;
}

/** Returns the feed names the registry lists, or null when it cannot be read. */
function checkRegistry(basePath: string, checks: HealthCheck[]): string[] | null {
  const path = join(basePath, GLOBAL_REGISTRY_FILE);
  if (!existsSync(path)) {
    // A base whose first Platform never created a feed has no registry yet: that is healthy.
    const feedsDir = join(basePath, FEEDS_DIR);
    const dirs = existsSync(feedsDir) ? readdirSync(feedsDir) : [];
    if (dirs.length > 0) {
      checks.push({
        check: 'registry',
        ok: false,
        reason: `${path} is missing but ${dirs.length} feed directories exist`,
      });
      return null;
    }
    checks.push({ check: 'registry', ok: true, reason: 'no feeds yet' });
    return [];
  }
  let names: string[];
  try {
    const registry = new GlobalRegistry(basePath);
    names = registry.list().map((e) => e.name);
    (registry as unknown as { close?: () => void }).close?.();
  } catch (error) {
    checks.push({ check: 'registry', ok: false, reason: `${path}: ${(error as Error).message}` });
    return null;
  }
  const missing = names.filter((n) => !existsSync(join(basePath, FEEDS_DIR, n)));
  if (missing.length > 0) {
    checks.push({
      check: 'registry',
      ok: false,
      reason: `the registry lists feeds without a directory: ${missing.join(', ')}`,
    });
    return names.filter((n) => !missing.includes(n));
  }
  checks.push({ check: 'registry', ok: true, reason: `${names.length} feed(s)`, details: { feeds: names } });
  return names;
}

function checkDiskSpace(basePath: string, minFreeGb: number, checks: HealthCheck[]): void {
  const stats = statfsSync(basePath);
  const available = stats.bavail * stats.bsize;
  const total = stats.blocks * stats.bsize;
  const details = { availableBytes: available, totalBytes: total, minFreeBytes: Math.round(minFreeGb * GIB) };
  const availableGb = (available / GIB).toFixed(2);
  if (available < minFreeGb * GIB) {
    checks.push({
      check: 'disk-space',
      ok: false,
      reason: `${availableGb} GiB available on the base's filesystem, below the ${minFreeGb} GiB minimum`,
      details,
    });
  } else {
    checks.push({ check: 'disk-space', ok: true, reason: `${availableGb} GiB available`, details });
  }
}

function checkFeed(
  basePath: string,
  feed: string,
  nowUs: number,
  options: HealthOptions,
  checks: HealthCheck[],
  ringStatus: RingStatusOf,
): void {
  // The same read-only scan as `repair --dry-run`: every error-severity finding fails the check.
  const scan = scanFeed(basePath, feed, { fix: false, deep: true });
  const errors = scan.problems.filter((p) => p.severity === 'error');
  const notices = scan.problems.filter((p) => p.severity === 'notice');
  checks.push({
    check: 'feed-files',
    feed,
    ok: errors.length === 0,
    reason:
      errors.length > 0
        ? errors.map((p) => p.message).join('; ')
        : `${scan.chunksScanned} chunk(s) consistent with the registry` +
          (notices.length > 0 ? ` (${notices.length} crash leftover(s): run repair)` : ''),
    details: { problems: scan.problems },
  });
  if (errors.some((p) => p.kind === 'feed-config')) return;
  checkActivity(basePath, feed, nowUs, options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS, checks, ringStatus);
}

function checkActivity(
  basePath: string,
  feed: string,
  nowUs: number,
  maxAgeSeconds: number,
  checks: HealthCheck[],
  ringStatus: RingStatusOf,
): void {
  const loaded = loadFeed(basePath, feed);
  let lastTs: number | null;
  let lastAppendUs: number | null = null;
  if (loaded.config.persist) {
    const summary = summarizeFeed(basePath, loaded);
    lastTs = summary.lastTs;
    lastAppendUs = summary.lastAppendUs;
  } else {
    // A ring lives in shared memory: ask the ring backend (through the Platform) what it holds.
    const ring = ringStatus(feed);
    lastTs = typeof ring?.lastTs === 'number' ? ring.lastTs : null;
  }
  // Record timestamps are in the feed's tsUnit; the wall clock and lastAppendUs in µs.
  const lastTsUs = lastTs === null ? null : (lastTs / UNITS_PER_SECOND[loaded.config.tsUnit]) * 1e6;
  const newest = Math.max(lastTsUs ?? Number.NEGATIVE_INFINITY, lastAppendUs ?? Number.NEGATIVE_INFINITY);
  const details = { lastTs, lastAppendUs, maxAgeSeconds };
  if (!Number.isFinite(newest)) {
    checks.push({ check: 'feed-activity', feed, ok: false, reason: 'no records have been written', details });
    return;
  }
  const ageSeconds = (nowUs - newest) / 1e6;
  const ok = ageSeconds <= maxAgeSeconds;
  checks.push({
    check: 'feed-activity',
    feed,
    ok,
    reason: ok
      ? `last write ${Math.max(0, Math.round(ageSeconds))}s ago`
      : `last write ${Math.round(ageSeconds)}s ago, older than --max-age-seconds ${maxAgeSeconds}`,
    details: { ...details, ageSeconds },
  });
}
