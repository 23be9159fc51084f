import { describe, expect, it } from 'vitest';
import { feedState, overallState } from '../../src/data/feed-state.js';
import { fakeFeed } from '../fixtures/fake-source.js';

const NOW = 1_800_000_000_000_000;
const S = 1_000_000;

describe('feedState', () => {
  it('is IDLE for a feed that has never been written', () => {
    expect(feedState(fakeFeed({ name: 'a', writerPid: 42 }), NOW)).toBe('IDLE');
  });

  it('is LIVE while the newest record is within liveSeconds, writer or not', () => {
    expect(
      feedState(fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 4 * S, writerPid: 42 }), NOW),
    ).toBe('LIVE');
    expect(feedState(fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 4 * S }), NOW)).toBe('LIVE');
  });

  it('is STALE when a writer holds the feed but nothing arrived recently', () => {
    expect(
      feedState(fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 6 * S, writerPid: 42 }), NOW),
    ).toBe('STALE');
    expect(
      feedState(fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 3600 * S, writerPid: 42 }), NOW),
    ).toBe('STALE');
  });

  it('is DOWN when the writer went away recently, and IDLE once the data is older than maxAge', () => {
    expect(feedState(fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 60 * S }), NOW)).toBe('DOWN');
    expect(feedState(fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 301 * S }), NOW)).toBe('IDLE');
  });

  it('is IDLE, not DOWN, when the writer closed the feed cleanly (its last chunk is closed)', () => {
    const chunk = { id: 1, firstTs: 1, lastTs: 2, records: 5, bytes: 4096 };
    const closed = fakeFeed({
      name: 'a',
      records: 5,
      lastAppendUs: NOW - 60 * S,
      chunks: [{ ...chunk, state: 'closed' }],
    });
    const killed = fakeFeed({
      name: 'a',
      records: 5,
      lastAppendUs: NOW - 60 * S,
      chunks: [{ ...chunk, state: 'active' }],
    });
    expect(feedState(closed, NOW)).toBe('IDLE');
    expect(feedState(killed, NOW)).toBe('DOWN');
  });

  it('judges age by the last append time, not by record timestamps (a replay writes old times)', () => {
    const replayed = fakeFeed({ name: 'a', records: 5, lastTs: NOW - 86400 * S, lastAppendUs: NOW - S });
    expect(feedState(replayed, NOW)).toBe('LIVE');
  });

  it('falls back to the newest record timestamp when the sdk keeps no append time', () => {
    expect(feedState(fakeFeed({ name: 'a', records: 5, lastTs: NOW - S }), NOW)).toBe('LIVE');
  });

  it('does not call a feed LIVE on a ticking writer clock when its record counter has not moved', () => {
    const heartbeat = fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - S, writerPid: 42 });
    expect(feedState(heartbeat, NOW, undefined, NOW - 20 * S)).toBe('STALE');
    expect(feedState(heartbeat, NOW, undefined, NOW - 2 * S)).toBe('LIVE');
  });

  it('honours custom thresholds', () => {
    const feed = fakeFeed({ name: 'a', records: 5, lastAppendUs: NOW - 2 * S });
    expect(feedState(feed, NOW, { liveSeconds: 1, maxAgeSeconds: 10 })).toBe('DOWN');
  });
});

describe('overallState', () => {
  it('reports the worst feed, EMPTY without feeds and ERROR when the base is unreadable', () => {
    expect(overallState(['LIVE', 'IDLE'], null)).toBe('OK');
    expect(overallState(['LIVE', 'STALE'], null)).toBe('DEGRADED');
    expect(overallState(['STALE', 'DOWN'], null)).toBe('DOWN');
    expect(overallState([], null)).toBe('EMPTY');
    expect(overallState(['LIVE'], 'EACCES')).toBe('ERROR');
  });
});
