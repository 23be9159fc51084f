// A ring written by another format version (version 1 had no per-slot stamps) must be refused
// on open, by readers and writers alike, with an error naming both versions and the fix.
import { openShm } from '@deepwater/storage-native';
import { describe, expect, it } from 'vitest';
import { RING_VERSION, RingLayoutError, RingReader, RingWriter } from '../../src/index.js';
import { VERSION_OFFSET } from '../../src/layout.js';
import { RECORD_SIZE, TS_OFFSET } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

function forgeVersion(name: string, version: number): void {
  const mapping = openShm(name);
  try {
    new Uint32Array(mapping.buffer, 0, 2)[VERSION_OFFSET / 4] = version;
  } finally {
    mapping.close();
  }
}

describe('regression: a ring of another format version', () => {
  it('is refused by readers and writers, naming both versions and the fix', () => {
    const name = rings.name('version');
    rings.writer(name, 8).close();
    forgeVersion(name, 1);
    const open = [
      () => RingReader.open(name),
      () => RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: 8, timestampOffset: TS_OFFSET }),
    ];
    for (const attempt of open) {
      let error: unknown;
      try {
        attempt().close();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RingLayoutError);
      expect((error as RingLayoutError).code).toBe('ERR_RING_LAYOUT');
      expect((error as Error).message).toMatch(
        new RegExp(`version 1 is not supported .*version ${RING_VERSION}; delete the ring`),
      );
    }
  });

  it('leaves the refused ring untouched', () => {
    const name = rings.name('version-untouched');
    rings.writer(name, 8).close();
    forgeVersion(name, 1);
    expect(() =>
      RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: 8, timestampOffset: TS_OFFSET }),
    ).toThrow(RingLayoutError);
    const mapping = openShm(name);
    try {
      expect(new Uint32Array(mapping.buffer, 0, 2)[VERSION_OFFSET / 4]).toBe(1);
    } finally {
      mapping.close();
    }
  });
});
