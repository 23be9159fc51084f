// Lesson: writes after close() crashed the process, and a second close() crashed too.
import { describe, expect, it } from 'vitest';
import { RingClosedError, RingReader } from '../../src/index.js';
import { testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: use after close', () => {
  it('throws a clear error and a second close is a no-op', () => {
    const name = rings.name('closed');
    const writer = rings.writer(name);
    const reader = RingReader.open(name);
    writer.close();
    reader.close();
    expect(() => writer.writeBytes(testRecords(0, 1))).toThrow(RingClosedError);
    expect(() => reader.readBytes()).toThrow(RingClosedError);
    expect(() => writer.close()).not.toThrow();
    expect(() => reader.close()).not.toThrow();
  });
});
