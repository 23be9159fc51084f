// Lesson: ring readers did not validate what they copied, so a record overwritten during the
// read came back torn. The reader now re-checks the slot's stamp after decoding each record
// (and the claim word after a bulk copy).
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../src/index.js';
import { type DecodedTestRecord, decodeTestRecord, RECORD_SIZE, testRecords } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();

describe('regression: a record overwritten while it is copied', () => {
  it('is discarded and counted, never returned with mixed bytes', () => {
    const name = rings.name('torn');
    using writer = rings.writer(name, 4);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 4));
    const out: DecodedTestRecord[] = [];
    reader.readEach((view, offset) => {
      // Overwrite the slot being decoded half-way through: its first 12 bytes are already read.
      const first = view.getUint32(offset, true);
      if (first === 1) writer.writeBytes(testRecords(4, 2)); // overwrites records 0 and 1
      const rest = decodeTestRecord(view, offset);
      return { n: first, intact: rest.intact && rest.n === first };
    }, out);
    expect(out.every((record) => record.intact)).toBe(true);
    // Record 0 was decoded before the overwrite and is intact; record 1 changed under decode.
    expect(out.map((record) => record.n)).toEqual([0, 2, 3, 4, 5]);
    expect(reader.stats.lostRecords).toBe(1);
    const bytes = new Uint8Array(4 * RECORD_SIZE);
    expect(reader.readInto(bytes)).toBe(0);
  });
});
