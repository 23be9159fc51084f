// Lesson: the library installed SIGTERM/SIGINT handlers that replaced the application's own.
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../src/index.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: signal handlers', () => {
  it('are never installed by writers or readers', () => {
    const before = ['SIGTERM', 'SIGINT', 'exit'].map((event) => process.listenerCount(event));
    const name = rings.name('signals');
    using _writer = rings.writer(name);
    using _reader = RingReader.open(name);
    expect(['SIGTERM', 'SIGINT', 'exit'].map((event) => process.listenerCount(event))).toEqual(before);
  });
});
