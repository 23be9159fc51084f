// Lesson: a reader constructed before the ring existed never attached to it.
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../src/index.js';
import { numbersIn, testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a reader that starts before any writer', () => {
  it('attaches when the ring appears and reads from the first record ever written', async () => {
    const name = rings.name('early');
    const attaching = RingReader.openWhenReady(name, { start: 0, timeoutMs: 10_000 });
    setTimeout(() => {
      const writer = rings.writer(name);
      writer.writeBytes(testRecords(0, 2));
      writer.close();
    }, 20);
    const reader = await attaching;
    expect(reader).not.toBeNull();
    using attached = reader!;
    expect(numbersIn(attached.readBytes())).toEqual([0, 1]);
  });
});
