import { describe, expect, it } from 'vitest';
import { heartbeatTimeToMicros, isoToMicros, microsToIso } from '../../src/coinbase/timestamps.js';

describe('isoToMicros', () => {
  const base = Date.UTC(2023, 1, 9, 20, 19, 35) * 1000;

  it('keeps microseconds from a nanosecond fraction (truncating the rest)', () => {
    expect(isoToMicros('2023-02-09T20:19:35.39625135Z', 't')).toBe(base + 396251);
  });

  it('accepts millisecond, second and +00:00 forms', () => {
    expect(isoToMicros('2023-02-09T20:19:35.265Z', 't')).toBe(base + 265000);
    expect(isoToMicros('2023-02-09T20:19:35Z', 't')).toBe(base);
    expect(isoToMicros('2023-02-09T20:19:35.000001+00:00', 't')).toBe(base + 1);
  });

  it('maps the snapshot epoch time to 0', () => {
    expect(isoToMicros('1970-01-01T00:00:00Z', 't')).toBe(0);
  });

  it.each([
    '2023-02-09 20:19:35Z',
    '2023-02-09T20:19:35.Z',
    '2023-02-09T20:19:35.1+01:00',
    '2023-13-09T20:19:35Z',
    '2023-02-09T20:19:35',
    'yesterday',
  ])('rejects %j naming the field', (bad) => {
    expect(() => isoToMicros(bad, 'trade.time')).toThrow(
      /field "trade.time": .* is not an ISO-8601 UTC time/,
    );
  });

  it('formats back to six fraction digits', () => {
    expect(microsToIso(base + 396251)).toBe('2023-02-09T20:19:35.396251Z');
    expect(microsToIso(base + 7)).toBe('2023-02-09T20:19:35.000007Z');
  });
});

describe('heartbeatTimeToMicros', () => {
  it('parses the Go-formatted heartbeat clock', () => {
    const expected = Date.UTC(2023, 5, 23, 20, 31, 56) * 1000 + 121961;
    expect(heartbeatTimeToMicros('2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105', 'c')).toBe(
      expected,
    );
  });

  it('rejects other offsets', () => {
    expect(() => heartbeatTimeToMicros('2023-06-23 20:31:56.1 +0200 CEST', 'current_time')).toThrow(
      /current_time/,
    );
  });
});
