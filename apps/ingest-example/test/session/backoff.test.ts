import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/session/backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap without jitter', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.nextDelayMs())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempt).toBe(6);
  });

  it('starts over after reset()', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    b.nextDelayMs();
    b.nextDelayMs();
    b.reset();
    expect(b.nextDelayMs()).toBe(100);
  });

  it('spreads delays by the jitter fraction and never exceeds the cap', () => {
    const low = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0.999999 });
    expect(low.nextDelayMs()).toBe(800);
    expect(high.nextDelayMs()).toBe(1000);
  });

  it('rejects a cap below the initial delay', () => {
    expect(() => new Backoff({ initialMs: 100, maxMs: 10 })).toThrow(/initialMs=100 maxMs=10/);
  });
});
