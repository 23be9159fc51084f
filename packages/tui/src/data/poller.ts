import { bridgeState } from './bridge-status.js';
import type { StateThresholds } from './feed-state.js';
import { DEFAULT_THRESHOLDS, feedState, lastActivityUs, overallState } from './feed-state.js';
import { FindingLog } from './finding-log.js';
import { feedFindings, storageFindings } from './health.js';
import { CounterHistory } from './history.js';
import type { BridgeView, DashboardModel, FeedView, StorageView } from './model.js';
import type { BaseSnapshot, StatusSource } from './types.js';

export interface PollerOptions {
  /** Time between samples; 0 polls only when sampleNow() is called (tests). Default 500 ms (2 Hz). */
  intervalMs?: number;
  thresholds?: StateThresholds;
}

const SPARK_BUCKETS = 60;

/** The share of one core the poller may take; past it, it polls less often rather than hog the CPU. */
export const MAX_POLL_DUTY = 0.1;

/**
 * The wait before the next poll: the configured interval, stretched when a poll is slow (a base
 * with hundreds of feeds) so that polling stays under MAX_POLL_DUTY of a core. Rates stay right
 * because they divide by the actual time between samples.
 */
export function nextPollDelayMs(intervalMs: number, lastCostMs: number): number {
  return Math.max(intervalMs - lastCostMs, (lastCostMs * (1 - MAX_POLL_DUTY)) / MAX_POLL_DUTY);
}
const SPARK_BUCKET_US = 1_000_000;

/**
 * Poller — samples a StatusSource a few times a second on the dashboard's own thread and turns
 * the counters into rates, states and findings. Reading status is a handful of loads from mapped
 * registries per feed, so polling costs the writer nothing.
 */
export class Poller {
  private readonly histories = new Map<string, CounterHistory>();
  private readonly findingLog = new FindingLog();
  private readonly listeners = new Set<() => void>();
  private readonly thresholds: StateThresholds;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private model: DashboardModel | null = null;

  constructor(
    private readonly source: StatusSource,
    options: PollerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  }

  start(): void {
    if (this.running || this.intervalMs <= 0) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const started = performance.now();
    this.sampleNow();
    const costMs = performance.now() - started;
    if (this.running) this.timer = setTimeout(() => this.tick(), nextPollDelayMs(this.intervalMs, costMs));
  }

  getModel(): DashboardModel | null {
    return this.model;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sampleNow(): DashboardModel {
    let snapshot: BaseSnapshot;
    try {
      snapshot = this.source.snapshot();
    } catch (error) {
      // A base that cannot be read this round keeps the last good numbers on screen with the error.
      const previous = this.model?.snapshot;
      snapshot = {
        basePath: this.source.basePath,
        takenAtUs: this.source.clockUs(),
        feeds: previous?.feeds ?? [],
        storage: previous?.storage ?? { diskFreeBytes: null, diskTotalBytes: null },
        bridges: previous?.bridges ?? [],
        error: error instanceof Error ? error.message : String(error),
      };
    }
    this.model = this.derive(snapshot);
    for (const listener of this.listeners) listener();
    return this.model;
  }

  private derive(snapshot: BaseSnapshot): DashboardModel {
    const now = snapshot.takenAtUs;
    const names = new Set(snapshot.feeds.map((f) => f.name));
    for (const name of this.histories.keys()) if (!names.has(name)) this.histories.delete(name);
    this.findingLog.retain(names);

    const feeds: FeedView[] = snapshot.feeds.map((feed) => {
      let history = this.histories.get(feed.name);
      if (!history) {
        history = new CounterHistory();
        this.histories.set(feed.name, history);
      }
      if (!feed.error) history.add(now, feed.records);
      const last = lastActivityUs(feed, history.valueSinceUs());
      const state = feedState(feed, now, this.thresholds, history.valueSinceUs());
      if (!snapshot.error) this.findingLog.record(feed.name, feedFindings(feed, state, now, last), now);
      const rate1s = history.ratePerSecond(1_000_000);
      return {
        feed,
        state,
        rate1s,
        rate1m: history.ratePerSecond(60_000_000),
        bytesPerSecond: rate1s == null ? null : rate1s * feed.recordSize,
        rateHistory: history.bucketRates(SPARK_BUCKETS, SPARK_BUCKET_US),
        ageUs: last == null ? null : Math.max(0, now - last),
        findings: this.findingLog.forFeed(feed.name),
      };
    });

    this.findingLog.record(null, storageFindings(snapshot.storage), now);
    return {
      snapshot,
      feeds,
      overall: overallState(
        feeds.map((f) => f.state),
        snapshot.error,
      ),
      storage: this.storageView(snapshot),
      bridges: (snapshot.bridges ?? []).map(
        (bridge): BridgeView => ({
          bridge,
          state: bridgeState(bridge, now),
          statusAgeUs: bridge.updatedAtUs === null ? null : Math.max(0, now - bridge.updatedAtUs),
        }),
      ),
    };
  }

  private storageView(snapshot: BaseSnapshot): StorageView {
    let totalBytes: number | null = null;
    let oldestTs: number | null = null;
    for (const feed of snapshot.feeds) {
      if (feed.bytesOnDisk != null) totalBytes = (totalBytes ?? 0) + feed.bytesOnDisk;
      if (feed.firstTs != null && (oldestTs == null || feed.firstTs < oldestTs)) oldestTs = feed.firstTs;
    }
    return {
      diskFreeBytes: snapshot.storage.diskFreeBytes,
      diskTotalBytes: snapshot.storage.diskTotalBytes,
      totalBytes,
      oldestTs,
      findings: this.findingLog.forFeed(null),
    };
  }
}
