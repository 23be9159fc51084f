import { describe, expect, it } from 'vitest';
import { CounterHistory } from '../../src/data/history.js';
import { sparkline } from '../../src/data/sparkline.js';

const S = 1_000_000;

describe('CounterHistory', () => {
  it('has no rate until it has two samples', () => {
    const h = new CounterHistory();
    expect(h.ratePerSecond(S)).toBeNull();
    h.add(0, 100);
    expect(h.ratePerSecond(S)).toBeNull();
    h.add(S / 4, 350);
    expect(h.ratePerSecond(S)).toBe(1000);
  });

  it('computes the 1 s and 1 min rates from counter differences', () => {
    const h = new CounterHistory();
    // 1000 rec/s for 59 s, then 10 000 rec/s for the last second, sampled at 4 Hz.
    let value = 0;
    for (let t = 0; t <= 60 * S; t += S / 4) {
      h.add(t, value);
      value += t < 59 * S ? 250 : 2500;
    }
    expect(h.ratePerSecond(S)).toBeCloseTo(10_000, 6);
    expect(h.ratePerSecond(60 * S)).toBeCloseTo((59 * 1000 + 10_000) / 60, 6);
  });

  it('forgets samples older than its window but keeps one for the left edge', () => {
    const h = new CounterHistory(10 * S);
    for (let t = 0; t <= 30 * S; t += S) h.add(t, t / S);
    expect(h.length).toBe(11);
    expect(h.ratePerSecond(10 * S)).toBe(1);
  });

  it('never reports a negative rate when the counter drops (cleanup removed a chunk)', () => {
    const h = new CounterHistory();
    h.add(0, 1000);
    h.add(S, 2000);
    h.add(2 * S, 10);
    expect(h.ratePerSecond(S)).toBe(0);
    h.add(3 * S, 110);
    expect(h.ratePerSecond(S)).toBe(100);
    expect(h.ratePerSecond(3 * S)).toBeCloseTo(1100 / 3, 6);
  });

  it('gives per-second bucket rates with null where history does not reach', () => {
    const h = new CounterHistory();
    h.add(0, 0);
    h.add(S, 10);
    h.add(2 * S, 30);
    expect(h.bucketRates(4, S)).toEqual([null, null, 10, 20]);
  });
});

describe('sparkline', () => {
  it('scales bars to the largest value and keeps any non-zero value visible', () => {
    expect(sparkline([null, 0, 1, 50, 100])).toBe('  ▁▅█');
  });

  it('is blank when everything is zero', () => {
    expect(sparkline([0, 0, 0])).toBe('   ');
  });
});

describe('CounterHistory.valueSinceUs', () => {
  it('is the first sample at which the counter had its current value, even after old samples are trimmed', () => {
    const h = new CounterHistory(10 * S);
    expect(h.valueSinceUs()).toBeNull();
    h.add(0, 5);
    expect(h.valueSinceUs()).toBe(0);
    h.add(S, 7);
    for (let t = 2 * S; t <= 30 * S; t += S) h.add(t, 7);
    expect(h.valueSinceUs()).toBe(S);
  });
});
