// Lesson: a lapped reader jumped forward silently with no loss counter.
import { describe, expect, it } from 'vitest';
import { RingOverrunError, RingReader } from '../../src/index.js';
import { numbersIn, range, testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a reader lapped by the writer', () => {
  it('skips to the oldest valid record and counts exactly what it skipped', () => {
    const name = rings.name('lapped');
    using writer = rings.writer(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 3));
    expect(numbersIn(reader.readBytes())).toEqual([0, 1, 2]);
    writer.writeBytes(testRecords(3, 50));
    expect(numbersIn(reader.readBytes())).toEqual(range(45, 8));
    expect(reader.stats).toEqual({ lostRecords: 42, overruns: 1 });
  });

  it("throws RingOverrunError with onOverrun: 'throw' instead of skipping silently", () => {
    const name = rings.name('lapped-throw');
    using writer = rings.writer(name, 8);
    using reader = RingReader.open(name, { onOverrun: 'throw' });
    writer.writeBytes(testRecords(0, 9));
    expect(() => reader.readBytes()).toThrow(RingOverrunError);
    expect(reader.stats.lostRecords).toBe(1);
  });
});
