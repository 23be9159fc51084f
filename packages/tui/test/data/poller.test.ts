import { describe, expect, it } from 'vitest';
import { MAX_POLL_DUTY, nextPollDelayMs, Poller } from '../../src/data/poller.js';
import { FakeSource, fakeFeed } from '../fixtures/fake-source.js';

describe('nextPollDelayMs', () => {
  it('keeps the configured rate while polls are cheap', () => {
    expect(nextPollDelayMs(500, 5)).toBe(495);
  });

  it('stretches the interval so that a slow poll stays under the duty cycle', () => {
    const cost = 200;
    const delay = nextPollDelayMs(500, cost);
    expect(cost / (cost + delay)).toBeCloseTo(MAX_POLL_DUTY, 6);
  });
});

describe('Poller', () => {
  it('derives rates from the time between samples and the counter difference', () => {
    const source = new FakeSource();
    source.feeds = [fakeFeed({ name: 'a', records: 100, lastAppendUs: source.nowUs, writerPid: 1 })];
    const poller = new Poller(source, { intervalMs: 0 });
    expect(poller.sampleNow().feeds[0].rate1s).toBeNull();
    source.advance(0.5, { a: 2000 });
    const model = poller.sampleNow();
    expect(model.feeds[0]).toMatchObject({
      rate1s: 2000,
      rate1m: 2000,
      bytesPerSecond: 2000 * 24,
      state: 'LIVE',
    });
  });

  it('forgets the history of a feed that was deleted', () => {
    const source = new FakeSource();
    source.feeds = [fakeFeed({ name: 'a', records: 100 })];
    const poller = new Poller(source, { intervalMs: 0 });
    poller.sampleNow();
    source.feeds = [];
    expect(poller.sampleNow().feeds).toEqual([]);
    source.feeds = [fakeFeed({ name: 'a', records: 5 })];
    source.advance(1, {});
    expect(poller.sampleNow().feeds[0].rate1s).toBeNull();
  });

  it('notifies subscribers on every sample and stops when unsubscribed', () => {
    const poller = new Poller(new FakeSource(), { intervalMs: 0 });
    let calls = 0;
    const unsubscribe = poller.subscribe(() => calls++);
    poller.sampleNow();
    unsubscribe();
    poller.sampleNow();
    expect(calls).toBe(1);
  });
});
