import { afterEach } from 'vitest';
import { RingWriter } from '../../src/index.js';
import { cleanupRings, RECORD_SIZE, TS_OFFSET, testRingName } from '../helpers.js';

/** Per-file ring names that are deleted (with their lock files) after each test. */
export function useRings(): {
  name(label: string): string;
  writer(name: string, capacity?: number): RingWriter;
} {
  const created = new Set<string>();
  afterEach(() => {
    cleanupRings(created);
    created.clear();
  });
  return {
    name(label) {
      const name = testRingName(label);
      created.add(name);
      return name;
    },
    writer(name, capacity = 8) {
      return RingWriter.open(name, { recordSize: RECORD_SIZE, capacity, timestampOffset: TS_OFFSET });
    },
  };
}
