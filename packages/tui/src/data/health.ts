import type { FeedState } from './feed-state.js';
import { formatAge, formatBytes, formatCount, formatRetention } from './format.js';
import type { FeedSnapshot, StorageSnapshot } from './types.js';

export type Severity = 'error' | 'warn';

export interface Finding {
  /** Stable per kind of problem, so the log can tell a new problem from one still going on. */
  code: string;
  severity: Severity;
  message: string;
}

/** Below this the storage panel warns; matches `deepwater-health --min-free-gb`'s default. */
export const MIN_FREE_BYTES = 1024 ** 3;

/** The checks `deepwater-health` makes, evaluated on the snapshot the dashboard already has. */
export function feedFindings(
  feed: FeedSnapshot,
  state: FeedState,
  nowUs: number,
  lastActivity: number | null,
): Finding[] {
  const out: Finding[] = [];
  if (feed.error)
    out.push({ code: 'status', severity: 'error', message: `status unreadable: ${feed.error}` });
  const last = lastActivity;
  if (state === 'STALE') {
    out.push({
      code: 'stale',
      severity: 'warn',
      message: `writer pid ${feed.writerPid} holds the feed but the last record was ${formatAge(last, nowUs)}`,
    });
  }
  if (state === 'DOWN') {
    out.push({
      code: 'down',
      severity: 'error',
      message: `no writer holds the feed and it was not closed; the last record was ${formatAge(last, nowUs)}`,
    });
  }
  const lost = feed.ring?.lostRecords;
  if (lost != null && lost > 0) {
    out.push({
      code: 'ring-lost',
      severity: 'warn',
      message: `ring readers lost ${formatCount(lost)} records (lapped by the writer)`,
    });
  }
  const expired = oldestExpiredChunkTs(feed, nowUs);
  if (expired != null) {
    out.push({
      code: 'retention',
      severity: 'warn',
      message: `data from ${formatAge(expired, nowUs)} is past the ${formatRetention(feed.retentionHours)} retention: is cleanup running?`,
    });
  }
  return out;
}

export function storageFindings(storage: StorageSnapshot): Finding[] {
  if (storage.diskFreeBytes != null && storage.diskFreeBytes < MIN_FREE_BYTES) {
    return [
      {
        code: 'disk-free',
        severity: 'error',
        message: `only ${formatBytes(storage.diskFreeBytes)} free on the base's filesystem`,
      },
    ];
  }
  return [];
}

/** Cleanup expires a chunk when its newest record is older than now − retention. */
function oldestExpiredChunkTs(feed: FeedSnapshot, nowUs: number): number | null {
  if (!feed.persist || !feed.retentionHours) return null;
  const horizon = nowUs - feed.retentionHours * 3600e6;
  let oldest: number | null = null;
  for (const chunk of feed.chunks) {
    if (chunk.lastTs != null && chunk.lastTs < horizon && (oldest == null || chunk.lastTs < oldest)) {
      oldest = chunk.lastTs;
    }
  }
  return oldest;
}
