// Lesson: a timestamp column at byte offset 0 was treated as "no timestamp" (`offset or fallback`).
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../src/index.js';
import { testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a timestamp at byte offset 0', () => {
  it('is a real timestamp for time seeks and lastTimestamp', () => {
    const name = rings.name('ts0');
    using writer = rings.writer(name); // helpers put the timestamp at offset 0
    using reader = RingReader.open(name);
    expect(reader.timestampOffset).toBe(0);
    writer.writeBytes(testRecords(100, 4));
    expect(writer.lastTimestamp).toBe(103);
    expect(reader.lowerBound(102)).toBe(2);
  });
});
