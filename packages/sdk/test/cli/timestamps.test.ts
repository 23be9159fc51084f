import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTime, parseTimestamp } from '../../src/cli/timestamps.js';

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
    expect(() => parseTimestamp('99999999999999999999', NOW)).toThrow(/outside the 64-bit range/);
  });

  it('refuses zone offsets beyond 23:59 and a 60th second, naming the text', () => {
    expect(() => parseTimestamp('2025-11-26T10:00:00+25:00', NOW, '--from')).toThrow(
      /--from "2025-11-26T10:00:00\+25:00" has an invalid zone offset \(\+25:00\)/,
    );
    expect(() => parseTimestamp('2025-11-26T10:00:00-05:60', NOW)).toThrow(/invalid zone offset \(-05:60\)/);
    expect(() => parseTimestamp('2025-11-26T10:00:00+2400', NOW)).toThrow(/invalid zone offset/);
    expect(() => parseTimestamp('2025-11-26T10:00:60Z', NOW)).toThrow(/invalid second \(60\)/);
    expect(parseTimestamp('2025-11-27T09:59:00+23:59', NOW)).toBe(NOW);
  });

  it('reads years before 100 as they are written', () => {
    expect(parseTimestamp('0050-01-01T00:00:00Z', NOW)).toBe(-60_589_296_000_000_000n);
  });

  it('parses into the feed unit exactly, nanoseconds beyond 2^53 as a bigint', () => {
    expect(parseTimestamp('2025-11-26T10:00:00.123456789Z', NOW, 'ts', 'ns')).toBe(
      1_764_151_200_123_456_789n,
    );
    expect(parseTimestamp('1764151200123456789', NOW, 'ts', 'ns')).toBe(1_764_151_200_123_456_789n);
    expect(parseTimestamp('18446744073709551615', NOW, 'ts', 'ns')).toBe(2n ** 64n - 1n);
    expect(parseTimestamp('-9223372036854775808', NOW, 'ts', 'ns')).toBe(-(2n ** 63n));
    expect(parseTimestamp('now-1s', NOW, 'ts', 'ns')).toBe(BigInt(NOW - 1e6) * 1000n);
    expect(parseTimestamp('2025-11-26T10:00:00.0015Z', NOW, 'ts', 'ms')).toBe(1_764_151_200_002);
    expect(parseTimestamp('2025-11-26T10:00:00Z', NOW, 'ts', 's')).toBe(1_764_151_200);
    // µs feeds too take any 64-bit value (one record beyond 2^53 is still addressable).
    expect(parseTimestamp('9007199254740993', NOW)).toBe(9_007_199_254_740_993n);
  });
});

describe('formatTimestamp', () => {
  it('prints exact microseconds in UTC', () => {
    expect(formatTimestamp(NOW + 123456)).toBe('2025-11-26T10:00:00.123456Z');
    expect(formatTimestamp(BigInt(NOW) + 7n)).toBe('2025-11-26T10:00:00.000007Z');
    expect(formatTimestamp(null)).toBe('-');
  });

  it('prints each unit with its own digits, exactly beyond 2^53', () => {
    expect(formatTimestamp(1_764_151_200_123_456_789n, 'ns')).toBe('2025-11-26T10:00:00.123456789Z');
    expect(formatTimestamp(1_764_151_200_123, 'ms')).toBe('2025-11-26T10:00:00.123Z');
    expect(formatTimestamp(1_764_151_200, 's')).toBe('2025-11-26T10:00:00Z');
    expect(formatTimestamp(-1n, 'ns')).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatTimestamp(2n ** 64n - 1n, 'ns')).toBe('2554-07-21T23:34:33.709551615Z');
  });

  it('round-trips with parseTimestamp', () => {
    for (const micros of [0, 1, NOW, NOW + 999_999, 4_102_444_800_000_000]) {
      expect(parseTimestamp(formatTimestamp(micros), NOW)).toBe(micros);
    }
  });
});

describe('parseTime (the public form)', () => {
  it('takes the unit, now and the name from its options', () => {
    expect(parseTime('2026-12-01T10:00:00.5Z', { unit: 'ms' })).toBe(1796119200500);
    expect(parseTime('now-1s', { nowMicros: NOW })).toBe(NOW - 1_000_000);
    expect(parseTime('2025-11-26T10:00:00.000000001Z', { unit: 'ns' })).toBe(1_764_151_200_000_000_001n);
    expect(() => parseTime('yesterday', { unit: 'ms', name: '--from' })).toThrow(
      /--from "yesterday" is not a timestamp: use milliseconds since the epoch/,
    );
  });
});
