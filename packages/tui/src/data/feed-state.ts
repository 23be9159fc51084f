import type { FeedSnapshot } from './types.js';

/**
 * LIVE  — the newest record is at most `liveSeconds` old.
 * STALE — a writer holds the feed but nothing arrived within `liveSeconds`.
 * DOWN  — no writer holds the feed, the writer did not close it (its last chunk is still
 *         active: killed or crashed; for rings, which keep no such mark, any exit) and its newest
 *         record is less than `maxAgeSeconds` old: data was expected and stopped.
 * IDLE  — nothing to expect: no records yet, a writer that closed the feed cleanly, or no writer
 *         and data older than `maxAgeSeconds` (a historical feed).
 */
export type FeedState = 'LIVE' | 'STALE' | 'DOWN' | 'IDLE';

export interface StateThresholds {
  liveSeconds: number;
  maxAgeSeconds: number;
}

/** `maxAgeSeconds` matches `deepwater-health --max-age-seconds`' default so both call a feed dead alike. */
export const DEFAULT_THRESHOLDS: StateThresholds = { liveSeconds: 5, maxAgeSeconds: 300 };

/**
 * When the newest record arrived. The writer's wall-clock publication time is preferred: record
 * timestamps may be exchange times or a replayed session's times, which say nothing about liveness.
 * `counterSinceUs`, when known, is when the dashboard first saw the record counter at its current
 * value: the newest record cannot be younger than that, so a writer clock that keeps ticking
 * without records (a heartbeat) never makes a silent feed look LIVE.
 */
export function lastActivityUs(feed: FeedSnapshot, counterSinceUs: number | null = null): number | null {
  const reported = feed.lastAppendUs ?? feed.lastTs;
  if (counterSinceUs == null) return reported;
  return reported == null ? counterSinceUs : Math.min(reported, counterSinceUs);
}

export function feedState(
  feed: FeedSnapshot,
  nowUs: number,
  thresholds = DEFAULT_THRESHOLDS,
  counterSinceUs: number | null = null,
): FeedState {
  const last = lastActivityUs(feed, counterSinceUs);
  if (feed.records === 0 || last == null) return 'IDLE';
  const age = nowUs - last;
  if (age <= thresholds.liveSeconds * 1e6) return 'LIVE';
  if (feed.writerPid != null) return 'STALE';
  if (closedCleanly(feed)) return 'IDLE';
  return age <= thresholds.maxAgeSeconds * 1e6 ? 'DOWN' : 'IDLE';
}

/** Worst first: the header's overall state is the first of these any feed is in. */
export const STATE_SEVERITY: readonly FeedState[] = ['DOWN', 'STALE', 'LIVE', 'IDLE'];

export type OverallState = 'OK' | 'DEGRADED' | 'DOWN' | 'EMPTY' | 'ERROR';

export function overallState(states: readonly FeedState[], baseError: string | null): OverallState {
  if (baseError) return 'ERROR';
  if (states.length === 0) return 'EMPTY';
  if (states.includes('DOWN')) return 'DOWN';
  if (states.includes('STALE')) return 'DEGRADED';
  return 'OK';
}

export const STATE_COLOR: Record<FeedState | OverallState, string> = {
  LIVE: 'green',
  STALE: 'yellow',
  DOWN: 'red',
  IDLE: 'gray',
  OK: 'green',
  DEGRADED: 'yellow',
  EMPTY: 'gray',
  ERROR: 'red',
};

/** A disk writer's close() marks its last chunk 'closed'; a killed writer leaves it 'active'. */
export function closedCleanly(feed: FeedSnapshot): boolean {
  return feed.persist && feed.chunks.at(-1)?.state === 'closed';
}
