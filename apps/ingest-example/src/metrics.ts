/**
 * Ingest metrics: counters with recent and session-average rates, and parse+write latency percentiles.
 * Everything here is O(1) per message; rates and percentiles are computed only when asked for.
 */

const BUCKETS = 16;

/** A monotonically growing count with per-second buckets for the last few seconds. */
export class RateCounter {
  total = 0;
  readonly #buckets = new Float64Array(BUCKETS);
  readonly #bucketSecond = new Float64Array(BUCKETS).fill(-1);

  add(count: number, nowMs: number): void {
    this.total += count;
    const second = Math.floor(nowMs / 1000);
    const slot = second % BUCKETS;
    if (this.#bucketSecond[slot] !== second) {
      this.#bucketSecond[slot] = second;
      this.#buckets[slot] = 0;
    }
    this.#buckets[slot] += count;
  }

  /** Average per second over the `seconds` complete seconds before now's second. */
  recentRate(nowMs: number, seconds = 5): number {
    const current = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let s = current - seconds; s < current; s++) {
      const slot = s % BUCKETS;
      if (this.#bucketSecond[slot] === s) sum += this.#buckets[slot];
    }
    return sum / seconds;
  }
}

/** Keeps the last `capacity` latency samples (µs) and answers percentiles over them. */
export class LatencyWindow {
  readonly #samples: Float64Array;
  #count = 0;

  constructor(capacity = 65536) {
    this.#samples = new Float64Array(capacity);
  }

  record(micros: number): void {
    this.#samples[this.#count % this.#samples.length] = micros;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The retained samples (µs), oldest order not kept: e.g. to build a full histogram. */
  samples(): Float64Array {
    return this.#samples.slice(0, Math.min(this.#count, this.#samples.length));
  }

  /** Nearest-rank percentiles (p in 0..100); NaN when there are no samples. */
  percentiles(ps: readonly number[]): number[] {
    const n = Math.min(this.#count, this.#samples.length);
    if (n === 0) return ps.map(() => Number.NaN);
    const sorted = this.#samples.slice(0, n).sort();
    return ps.map((p) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]);
  }
}

export const LATENCY_PERCENTILES = [50, 90, 99, 99.9] as const;

export interface RateSnapshot {
  total: number;
  /** Per second over the last 5 complete seconds. */
  recentPerSecond: number;
  /** Per second since the metrics started. */
  averagePerSecond: number;
}

export interface MetricsSnapshot {
  uptimeMs: number;
  messages: RateSnapshot;
  bytes: RateSnapshot;
  recordsByFeed: Record<string, RateSnapshot>;
  /** Parse + write time per frame, µs, at LATENCY_PERCENTILES. */
  latencyUs: Record<string, number>;
  sequenceGaps: number;
  tradeIdGaps: number;
  duplicateTrades: number;
  reconnects: number;
  staleReconnects: number;
  badFrames: number;
  serverErrors: number;
  writeErrors: number;
}

export class IngestMetrics {
  readonly startedMs: number;
  readonly messages = new RateCounter();
  readonly bytes = new RateCounter();
  readonly recordsByFeed = new Map<string, RateCounter>();
  readonly latency: LatencyWindow;
  sequenceGaps = 0;
  tradeIdGaps = 0;
  duplicateTrades = 0;
  reconnects = 0;
  staleReconnects = 0;
  badFrames = 0;
  serverErrors = 0;
  writeErrors = 0;

  /** `latencySamples`: how many of the latest frames the latency percentiles cover. */
  constructor(nowMs = Date.now(), latencySamples = 65536) {
    this.startedMs = nowMs;
    this.latency = new LatencyWindow(latencySamples);
  }

  records(feed: string, count: number, nowMs: number): void {
    this.counter(feed).add(count, nowMs);
  }

  /** The feed's record counter (created on first use), for callers that keep it per feed. */
  counter(feed: string): RateCounter {
    let counter = this.recordsByFeed.get(feed);
    if (counter === undefined) {
      counter = new RateCounter();
      this.recordsByFeed.set(feed, counter);
    }
    return counter;
  }

  snapshot(nowMs = Date.now()): MetricsSnapshot {
    const uptimeMs = Math.max(1, nowMs - this.startedMs);
    const rate = (c: RateCounter): RateSnapshot => ({
      total: c.total,
      recentPerSecond: c.recentRate(nowMs),
      averagePerSecond: (c.total * 1000) / uptimeMs,
    });
    const values = this.latency.percentiles(LATENCY_PERCENTILES);
    return {
      uptimeMs,
      messages: rate(this.messages),
      bytes: rate(this.bytes),
      recordsByFeed: Object.fromEntries([...this.recordsByFeed].map(([feed, c]) => [feed, rate(c)])),
      latencyUs: Object.fromEntries(LATENCY_PERCENTILES.map((p, i) => [`p${p}`, values[i]])),
      sequenceGaps: this.sequenceGaps,
      tradeIdGaps: this.tradeIdGaps,
      duplicateTrades: this.duplicateTrades,
      reconnects: this.reconnects,
      staleReconnects: this.staleReconnects,
      badFrames: this.badFrames,
      serverErrors: this.serverErrors,
      writeErrors: this.writeErrors,
    };
  }
}

const fmt = (n: number): string => (Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

export function formatMetrics(m: MetricsSnapshot): string {
  const line = (label: string, r: RateSnapshot, unit: string) =>
    `${label.padEnd(28)} ${fmt(r.recentPerSecond).padStart(10)} ${unit}/s recent ${fmt(r.averagePerSecond).padStart(10)} ${unit}/s avg ${String(r.total).padStart(10)} total`;
  const lines = [
    `uptime ${(m.uptimeMs / 1000).toFixed(1)} s`,
    line('messages', m.messages, 'msg'),
    line('bytes', m.bytes, 'B'),
    ...Object.entries(m.recordsByFeed).map(([feed, r]) => line(feed, r, 'rec')),
    `parse+write latency µs      ${Object.entries(m.latencyUs)
      .map(([p, v]) => `${p}=${fmt(v)}`)
      .join(' ')}`,
    `sequence gaps ${m.sequenceGaps}  trade-id gaps ${m.tradeIdGaps}  duplicate trades ${m.duplicateTrades}  reconnects ${m.reconnects} (stale ${m.staleReconnects})`,
    `bad frames ${m.badFrames}  server errors ${m.serverErrors}  write errors ${m.writeErrors}`,
  ];
  return lines.join('\n');
}
