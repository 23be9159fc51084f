// Public surface of @deepwater/tui.

export type { AppProps } from './app.js';
export { App } from './app.js';
export { assertBaseExists, BaseNotFoundError } from './data/base-path.js';
export type { BridgeState } from './data/bridge-status.js';
export { bridgeState, readBridgeStatuses } from './data/bridge-status.js';
export type { FeedState, OverallState, StateThresholds } from './data/feed-state.js';
export { DEFAULT_THRESHOLDS, feedState } from './data/feed-state.js';
export type { BridgeView, DashboardModel, FeedView, StorageView } from './data/model.js';
export type { PlatformLike, ReaderLike } from './data/platform-source.js';
export { openPlatformSource, PlatformSource } from './data/platform-source.js';
export type { PollerOptions } from './data/poller.js';
export { Poller } from './data/poller.js';
export type {
  BaseSnapshot,
  BridgeSnapshot,
  ChunkSnapshot,
  FeedSchema,
  FeedSnapshot,
  FieldInfo,
  RingReaderSnapshot,
  RingSnapshot,
  StatusSource,
  StorageSnapshot,
} from './data/types.js';
export type { DashboardOptions } from './run-dashboard.js';
export { runDashboard } from './run-dashboard.js';
