// Lesson: rings had no writer lock, so two writers could interleave into one ring.
import { describe, expect, it } from 'vitest';
import { deleteRing, RingLockedError } from '../../src/index.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a second writer', () => {
  it('is refused while the first holds the ring, and accepted after it closes', () => {
    const name = rings.name('lock');
    const first = rings.writer(name);
    expect(() => rings.writer(name)).toThrow(RingLockedError);
    expect(() => deleteRing(name)).toThrow(RingLockedError);
    first.close();
    rings.writer(name).close();
  });
});
