// Lesson: one reader object per feed was cached and shared, so callers moved each other's cursor.
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../src/index.js';
import { numbersIn, testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: two readers of one ring', () => {
  it('are independent objects with independent cursors', () => {
    const name = rings.name('cursors');
    using writer = rings.writer(name);
    using a = RingReader.open(name);
    using b = RingReader.open(name);
    expect(a).not.toBe(b);
    writer.writeBytes(testRecords(0, 3));
    expect(numbersIn(a.readBytes())).toEqual([0, 1, 2]);
    expect(b.position).toBe(0);
    expect(numbersIn(b.readBytes(1))).toEqual([0]);
    expect(a.position).toBe(3);
  });
});
