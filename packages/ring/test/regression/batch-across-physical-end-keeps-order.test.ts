// Lesson: a ring batch write that crossed the physical end restarted at offset 0 and reordered records.
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../src/index.js';
import { numbersIn, range, testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a batch that crosses the physical end of the ring', () => {
  it('comes back in logical order, for every start slot', () => {
    for (let offset = 0; offset < 8; offset++) {
      const name = rings.name(`wrap-${offset}`);
      using writer = rings.writer(name, 8);
      writer.writeBytes(testRecords(0, offset));
      using reader = RingReader.open(name);
      writer.writeBytes(testRecords(offset, 8));
      expect(numbersIn(reader.readBytes())).toEqual(range(offset, 8));
      expect(reader.stats.lostRecords).toBe(0);
    }
  });
});
