import { describe, expect, it } from 'vitest';
import { IngestMetrics, LatencyWindow, RateCounter } from '../src/metrics.js';

describe('RateCounter', () => {
  it('averages the complete seconds before now and ignores the current one', () => {
    const c = new RateCounter();
    for (let s = 0; s < 5; s++) c.add(100, 10_000 + s * 1000);
    c.add(999, 15_500);
    expect(c.recentRate(15_500, 5)).toBe(100);
    expect(c.total).toBe(1499);
  });

  it('forgets buckets older than the window', () => {
    const c = new RateCounter();
    c.add(100, 1_000);
    expect(c.recentRate(60_000, 5)).toBe(0);
  });
});

describe('LatencyWindow', () => {
  it('answers nearest-rank percentiles', () => {
    const w = new LatencyWindow(1000);
    for (let i = 1; i <= 100; i++) w.record(i);
    expect(w.percentiles([50, 90, 99, 100])).toEqual([50, 90, 99, 100]);
  });

  it('keeps only the most recent samples', () => {
    const w = new LatencyWindow(4);
    for (const v of [1000, 1000, 1000, 1000, 1, 2, 3, 4]) w.record(v);
    expect(w.percentiles([100])).toEqual([4]);
    expect(w.count).toBe(8);
  });

  it('hands out the samples it keeps', () => {
    const w = new LatencyWindow(3);
    for (const v of [1, 2]) w.record(v);
    expect([...w.samples()]).toEqual([1, 2]);
    for (const v of [3, 4]) w.record(v);
    expect([...w.samples()].sort()).toEqual([2, 3, 4]);
  });

  it('returns NaN without samples', () => {
    expect(new LatencyWindow().percentiles([50])).toEqual([Number.NaN]);
  });
});

describe('IngestMetrics', () => {
  it('reports per-feed record rates in its snapshot', () => {
    const m = new IngestMetrics(0);
    m.records('CB-TRADES-BTC-USD', 10, 500);
    m.records('CB-TRADES-BTC-USD', 10, 1500);
    const s = m.snapshot(2000);
    expect(s.recordsByFeed['CB-TRADES-BTC-USD']).toEqual({
      total: 20,
      recentPerSecond: 4,
      averagePerSecond: 10,
    });
  });
});
