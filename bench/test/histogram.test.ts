import { describe, expect, it } from 'vitest';
import {
  decodeHistogram,
  encodeHistogram,
  newLatencyHistogram,
  recordNanos,
  summarize,
} from '../src/core/histogram.js';

describe('latency histograms', () => {
  it('summarizes percentiles within HdrHistogram precision', () => {
    const histogram = newLatencyHistogram();
    for (let nanos = 1; nanos <= 10_000; nanos++) histogram.recordValue(nanos);
    const summary = summarize(histogram);
    expect(summary.count).toBe(10_000);
    expect(summary.p50).toBeGreaterThanOrEqual(4_995);
    expect(summary.p50).toBeLessThanOrEqual(5_005);
    expect(summary.p999).toBeGreaterThanOrEqual(9_985);
    expect(summary.max).toBeGreaterThanOrEqual(10_000);
    expect(summary.max).toBeLessThanOrEqual(10_010);
  });

  it('survives the trip between processes in encoded form', () => {
    const histogram = newLatencyHistogram();
    for (const nanos of [150, 160, 170, 40_000_000]) histogram.recordValue(nanos);
    const copy = summarize(decodeHistogram(encodeHistogram(histogram)));
    const original = summarize(histogram);
    expect({ ...copy, max: 0 }).toEqual({ ...original, max: 0 });
    // The decoded max is the top of its bucket: equal within 3 significant digits.
    expect(Math.abs(copy.max - original.max) / original.max).toBeLessThan(1e-3);
  });

  it('records a negative clock difference as 0 instead of throwing', () => {
    const histogram = newLatencyHistogram();
    recordNanos(histogram, -3);
    expect(histogram.totalCount).toBe(1);
    expect(histogram.maxValue).toBe(0);
  });
});
