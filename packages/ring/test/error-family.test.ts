import { DeepwaterError } from '@deepwater/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { RingError, RingLockedError, RingReader, RingWriter } from '../src/index.js';
import { cleanupRings, RECORD_SIZE, TS_OFFSET, testRingName } from './helpers.js';

// Every error the ring throws belongs to the one Deepwater error family (@deepwater/errors).
const created = new Set<string>();
function ringName(label: string): string {
  const name = testRingName(label);
  created.add(name);
  return name;
}
afterEach(() => {
  cleanupRings(created);
  created.clear();
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ring errors are DeepwaterErrors', () => {
  it('a second writer: RingLockedError, ERR_WRITER_LOCKED, with the holder pid', () => {
    const name = ringName('family-locked');
    using _writer = RingWriter.open(name, {
      recordSize: RECORD_SIZE,
      capacity: 8,
      timestampOffset: TS_OFFSET,
    });
    const error = thrownBy(() => RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: 8 }));
    expect(error).toBeInstanceOf(RingLockedError);
    expect(error).toBeInstanceOf(RingError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({ code: 'ERR_WRITER_LOCKED', ring: name, pid: process.pid });
  });

  it('a missing ring: ERR_RING_NOT_FOUND', () => {
    const error = thrownBy(() => RingReader.open(ringName('family-missing')));
    expect(error).toBeInstanceOf(DeepwaterError);
    expect((error as DeepwaterError).code).toBe('ERR_RING_NOT_FOUND');
  });

  it('misuse stays a RangeError/TypeError and is a DeepwaterError with a code', () => {
    const name = ringName('family-misuse');
    const range = thrownBy(() =>
      RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: 8, startSequence: -1 }),
    );
    expect(range).toBeInstanceOf(RangeError);
    expect(range).toBeInstanceOf(DeepwaterError);
    expect((range as DeepwaterError).code).toBe('ERR_OUT_OF_RANGE');
    expect((range as Error).message).toContain('startSequence');

    using _writer = RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: 8 });
    const type = thrownBy(() => RingReader.open(name, { onOverrun: 'ignore' as never }));
    expect(type).toBeInstanceOf(TypeError);
    expect(type).toBeInstanceOf(DeepwaterError);
    expect((type as DeepwaterError).code).toBe('ERR_INVALID_ARGUMENT');
  });
});
