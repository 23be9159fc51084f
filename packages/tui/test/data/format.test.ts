import { describe, expect, it } from 'vitest';
import {
  fitCell,
  formatAge,
  formatAgeShort,
  formatByteRate,
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
  formatRetention,
  formatTimestamp,
  MISSING,
} from '../../src/data/format.js';

describe('formatting for humans', () => {
  it('abbreviates counts with SI prefixes', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1.2 k');
    expect(formatCount(1_200_000)).toBe('1.2 M');
    expect(formatCount(123_456_789)).toBe('123 M');
    expect(formatCount(3.25)).toBe('3.3');
    expect(formatCount(18.04)).toBe('18');
    expect(formatCount(4)).toBe('4');
  });

  it('rounds up across a prefix boundary instead of printing 1000 k', () => {
    expect(formatCount(999_999)).toBe('1 M');
  });

  it('prints bytes and byte rates in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(64 * 1024 * 1024)).toBe('67.1 MB');
    expect(formatBytes(2.5e9)).toBe('2.5 GB');
    expect(formatByteRate(35_400_000)).toBe('35.4 MB/s');
    expect(formatByteRate(4_200)).toBe('4.2 kB/s');
    expect(formatByteRate(0)).toBe('0 B/s');
    expect(formatRate(12_345)).toBe('12.3 k/s');
  });

  it('prints durations from microseconds to days', () => {
    expect(formatDuration(850)).toBe('850 µs');
    expect(formatDuration(3_200)).toBe('3.2 ms');
    expect(formatDuration(3_200_000)).toBe('3.2 s');
    expect(formatDuration(245e6)).toBe('4 m 05 s');
    expect(formatDuration(2 * 3600e6 + 600e6)).toBe('2 h 10 m');
    expect(formatDuration(3 * 86400e6 + 4 * 3600e6)).toBe('3 d 4 h');
  });

  it('says how long ago something happened, and "now" for sub-millisecond ages', () => {
    expect(formatAge(1_000_000, 4_200_000)).toBe('3.2 s ago');
    expect(formatAge(1_000_000, 1_000_500)).toBe('now');
  });

  it('keeps table ages within 8 cells', () => {
    expect(formatAgeShort(500)).toBe('now');
    expect(formatAgeShort(3_200_000)).toBe('3.2 s');
    expect(formatAgeShort(9 * 86400e6 + 23 * 3600e6)).toBe('9 d 23 h');
    expect(formatAgeShort(374 * 86400e6 + 5 * 3600e6)).toBe('374 d');
  });

  it('prints timestamps in UTC with milliseconds', () => {
    expect(formatTimestamp(Date.UTC(2025, 10, 26, 10, 12, 3, 123) * 1000 + 456)).toBe(
      '2025-11-26 10:12:03.123',
    );
  });

  it('prints retention in hours or days, and 0 as forever', () => {
    expect(formatRetention(0)).toBe('forever');
    expect(formatRetention(72)).toBe('3 d');
    expect(formatRetention(6)).toBe('6 h');
  });

  it('shows a dash for every unknown value', () => {
    for (const f of [formatCount, formatBytes, formatByteRate, formatRate, formatDuration, formatTimestamp]) {
      expect(f(null)).toBe(MISSING);
    }
    expect(formatAge(null, 0)).toBe(MISSING);
  });

  it('fits text to a width with an ellipsis when cut', () => {
    expect(fitCell('abc', 5)).toBe('abc  ');
    expect(fitCell('abc', 5, 'right')).toBe('  abc');
    expect(fitCell('abcdef', 4)).toBe('abc…');
  });
});
