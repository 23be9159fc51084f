import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../src/cli/timestamps.js';

const NOW = 1_764_151_200_000_000; // 2025-11-26T10:00:00Z

describe('parseTimestamp', () => {
  it('accepts integer microseconds as they are', () => {
    expect(parseTimestamp('1764151200123456', NOW)).toBe(1764151200123456);
    expect(parseTimestamp('0', NOW)).toBe(0);
  });

  it('reads ISO-8601 with a Z, an offset, or no zone (UTC)', () => {
    expect(parseTimestamp('2025-11-26T10:00:00Z', NOW)).toBe(NOW);
    expect(parseTimestamp('2025-11-26T10:00:00', NOW)).toBe(NOW);
    expect(parseTimestamp('2025-11-26T11:30:00+01:30', NOW)).toBe(NOW);
    expect(parseTimestamp('2025-11-26', NOW)).toBe(Date.UTC(2025, 10, 26) * 1000);
  });

  it('keeps every fractional digit down to the microsecond', () => {
    expect(parseTimestamp('2025-11-26T10:00:00.000001Z', NOW)).toBe(NOW + 1);
    expect(parseTimestamp('2025-11-26T10:00:00.123456Z', NOW)).toBe(NOW + 123456);
    expect(parseTimestamp('2025-11-26T10:00:00.5Z', NOW)).toBe(NOW + 500000);
  });

  it('rounds sub-microsecond digits up so half-open ranges stay exact', () => {
    expect(parseTimestamp('2025-11-26T10:00:00.123456001Z', NOW)).toBe(NOW + 123457);
    expect(parseTimestamp('2025-11-26T10:00:00.123456000Z', NOW)).toBe(NOW + 123456);
  });

  it('reads now and now-<N><unit> against the given clock', () => {
    expect(parseTimestamp('now', NOW)).toBe(NOW);
    expect(parseTimestamp('now-15m', NOW)).toBe(NOW - 15 * 60e6);
    expect(parseTimestamp('now-2h', NOW)).toBe(NOW - 2 * 3600e6);
    expect(parseTimestamp('now-1.5s', NOW)).toBe(NOW - 1_500_000);
  });

  it('names the bad value and shows accepted forms', () => {
    expect(() => parseTimestamp('yesterday', NOW, '--from')).toThrow(
      /--from "yesterday".*microseconds.*ISO-8601/,
    );
    expect(() => parseTimestamp('2025-02-30T00:00:00Z', NOW)).toThrow(/does not exist/);
    expect(() => parseTimestamp('2025-13-01', NOW)).toThrow(/invalid month/);
    expect(() => parseTimestamp('2025-11-26T10:00:00.1234567890Z', NOW)).toThrow(/not a timestamp/);
    expect(() => parseTimestamp('99999999999999999999', NOW)).toThrow(/safe integer/);
  });
});

describe('formatTimestamp', () => {
  it('prints exact microseconds in UTC', () => {
    expect(formatTimestamp(NOW + 123456)).toBe('2025-11-26T10:00:00.123456Z');
    expect(formatTimestamp(BigInt(NOW) + 7n)).toBe('2025-11-26T10:00:00.000007Z');
    expect(formatTimestamp(null)).toBe('-');
  });

  it('round-trips with parseTimestamp', () => {
    for (const micros of [0, 1, NOW, NOW + 999_999, 4_102_444_800_000_000]) {
      expect(parseTimestamp(formatTimestamp(micros), NOW)).toBe(micros);
    }
  });
});
