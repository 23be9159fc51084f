import type { BridgeState } from './bridge-status.js';
import type { FeedState, OverallState } from './feed-state.js';
import type { LoggedFinding } from './finding-log.js';
import type { BaseSnapshot, BridgeSnapshot, FeedSnapshot } from './types.js';

/** What the views render: one snapshot plus everything derived from the poller's history. */
export interface FeedView {
  feed: FeedSnapshot;
  state: FeedState;
  /** Records/s over the last second and the last minute (or what has been sampled of it). */
  rate1s: number | null;
  rate1m: number | null;
  bytesPerSecond: number | null;
  /** Records/s per second over the last minute, oldest first, for the sparkline. */
  rateHistory: (number | null)[];
  /** µs since the newest record arrived (by the writer's clock where known). */
  ageUs: number | null;
  findings: readonly LoggedFinding[];
}

export interface StorageView {
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
  /** Sum of what the feeds report on disk. */
  totalBytes: number | null;
  oldestTs: number | null;
  findings: readonly LoggedFinding[];
}

export interface BridgeView {
  bridge: BridgeSnapshot;
  state: BridgeState;
  /** µs since the bridge last rewrote its status file. */
  statusAgeUs: number | null;
}

export interface DashboardModel {
  snapshot: BaseSnapshot;
  feeds: FeedView[];
  overall: OverallState;
  storage: StorageView;
  /** NATS bridges of this base (their status files); empty when there are none. */
  bridges: BridgeView[];
}
