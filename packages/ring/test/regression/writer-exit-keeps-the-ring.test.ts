// Lesson: a ring writer unlinked the shared memory on exit, under live readers.
import { describe, expect, it } from 'vitest';
import { RingReader, ringExists } from '../../src/index.js';
import { spawnFixture } from '../child.js';
import { numbersIn, range } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a writer that exits', () => {
  it('leaves the ring and its records to the readers', async () => {
    const name = rings.name('exit');
    const writer = spawnFixture('writer', {
      name,
      capacity: 64,
      count: 10,
      maxBatch: 3,
      pauseMs: 0,
      pauseEvery: 0,
      waitForGo: false,
    });
    await writer.next('done');
    expect((await writer.exited).code).toBe(0);
    expect(ringExists(name)).toBe(true);
    using reader = RingReader.open(name, { start: 'oldest' });
    expect(numbersIn(reader.readBytes())).toEqual(range(0, 10));
  });
});
