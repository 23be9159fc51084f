/**
 * CounterHistory — the last minute of one feed's `records` counter, sampled by the poller.
 * Rates come from differences of this counter, never from reading records, so their cost does not
 * grow with the feed's rate. Not shared across threads; the poller owns one per feed.
 */

export const HISTORY_WINDOW_US = 61_000_000;

export interface CounterSample {
  atUs: number;
  value: number;
}

export class CounterHistory {
  private samples: CounterSample[] = [];
  /** When the counter was first seen at its current value (survives trimming of old samples). */
  private sinceUs: number | null = null;
  /** Records that vanished from the counter (retention, re-creation): added back to keep it monotonic. */
  private vanished = 0;

  constructor(private readonly windowUs = HISTORY_WINDOW_US) {}

  add(atUs: number, reported: number): void {
    const last = this.samples.at(-1);
    if (last && atUs <= last.atUs) return;
    // The sdk counts the records still on disk, so cleanup removing a chunk (or the feed being
    // re-created) makes the counter drop. Rates measure arrivals, so the drop is carried forward
    // instead of showing a negative rate; arrivals in the same interval are undercounted, never invented.
    let value = reported + this.vanished;
    if (last && value < last.value) {
      this.vanished += last.value - value;
      value = last.value;
    }
    if (!last || value > last.value) this.sinceUs = atUs;
    this.samples.push({ atUs, value });
    const horizon = atUs - this.windowUs;
    let drop = 0;
    // Keep one sample older than the horizon so a full-window rate still has a left edge.
    while (drop + 1 < this.samples.length && this.samples[drop + 1].atUs <= horizon) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  /** The sample time at which the counter reached its current value; null before any sample. */
  valueSinceUs(): number | null {
    return this.sinceUs;
  }

  get length(): number {
    return this.samples.length;
  }

  latest(): CounterSample | undefined {
    return this.samples.at(-1);
  }

  /** The counter at `atUs`, interpolated between samples; null outside what was sampled. */
  valueAt(atUs: number): number | null {
    const s = this.samples;
    if (s.length === 0 || atUs < s[0].atUs || atUs > s[s.length - 1].atUs) return null;
    let hi = s.length - 1;
    while (hi > 0 && s[hi - 1].atUs >= atUs) hi--;
    const right = s[hi];
    if (right.atUs === atUs || hi === 0) return right.value;
    const left = s[hi - 1];
    const fraction = (atUs - left.atUs) / (right.atUs - left.atUs);
    return left.value + (right.value - left.value) * fraction;
  }

  /**
   * Per-second rate over the last `windowUs` (or as much of it as was sampled, so a dashboard
   * that just started shows a rate after its second sample rather than a blank minute).
   */
  ratePerSecond(windowUs: number): number | null {
    const last = this.samples.at(-1);
    if (!last || this.samples.length < 2) return null;
    const from = Math.max(this.samples[0].atUs, last.atUs - windowUs);
    if (from >= last.atUs) return null;
    const startValue = this.valueAt(from);
    if (startValue == null) return null;
    return ((last.value - startValue) * 1e6) / (last.atUs - from);
  }

  /**
   * Rates in consecutive buckets ending at the newest sample, oldest first; null where the
   * history does not reach back that far. Used for sparklines.
   */
  bucketRates(buckets: number, bucketUs: number): (number | null)[] {
    const last = this.samples.at(-1);
    const out: (number | null)[] = new Array(buckets).fill(null);
    if (!last) return out;
    for (let i = 0; i < buckets; i++) {
      const end = last.atUs - (buckets - 1 - i) * bucketUs;
      const start = end - bucketUs;
      const a = this.valueAt(start);
      const b = this.valueAt(end);
      if (a != null && b != null) out[i] = ((b - a) * 1e6) / bucketUs;
    }
    return out;
  }
}
