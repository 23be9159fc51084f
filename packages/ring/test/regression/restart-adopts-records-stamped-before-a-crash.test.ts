// A writer killed after stamping some records of a batch complete but before storing PUBLISH left
// whole records that readers may already have returned. The next writer must continue after them,
// not write different records under the same sequences; the slots it had only marked busy are
// rewritten next.
import { openShm } from '@deepwater/storage-native';
import { describe, expect, it } from 'vitest';
import { slotLengthFor } from '../../src/geometry.js';
import { RingReader, RingWriter } from '../../src/index.js';
import { DATA_OFFSET } from '../../src/layout.js';
import { stampHiOf, stampLoOf } from '../../src/slots.js';
import {
  type DecodedTestRecord,
  decodeTestRecord,
  encodeTestRecord,
  RECORD_SIZE,
  range,
  TS_OFFSET,
  testRecords,
} from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();
const CAPACITY = 8;

/** What a crashed writer leaves: records first..first+claimed-1 claimed and encoded, the first
 * `stamped` of them stamped complete, PUBLISH not moved. */
function crashMidBatch(name: string, claimed: number, stamped: number): number {
  const writer = rings.writer(name, CAPACITY);
  const first = writer.sequence;
  writer.claim(claimed);
  for (let i = 0; i < claimed; i++) encodeTestRecord(writer.view, writer.offsetAt(i), first + i);
  const mapping = openShm(name);
  const words = new Uint32Array(mapping.buffer);
  for (let i = 0; i < stamped; i++) {
    const seq = first + i;
    const word = (DATA_OFFSET + (seq % CAPACITY) * slotLengthFor(RECORD_SIZE)) / 4;
    words[word + 1] = stampHiOf(seq);
    words[word] = stampLoOf(seq);
  }
  mapping.close();
  writer.close(); // drops the pending claim without publishing, as a crash would
  return first;
}

function reopen(name: string): RingWriter {
  return RingWriter.open(name, { recordSize: RECORD_SIZE, capacity: CAPACITY, timestampOffset: TS_OFFSET });
}

describe('regression: a writer restarted after a crash mid-batch', () => {
  it('adopts the records that were stamped complete and rewrites the ones that were not', () => {
    const name = rings.name('adopt');
    const setup = rings.writer(name, CAPACITY);
    setup.writeBytes(testRecords(0, 5));
    setup.close();
    using reader = RingReader.open(name, { start: 0 });
    expect(crashMidBatch(name, 3, 2)).toBe(5);
    const seen: DecodedTestRecord[] = [];
    reader.readEach(decodeTestRecord, seen); // may already return the stamped records 5 and 6
    expect(seen.map((r) => r.n)).toEqual(range(0, 7));

    using writer = reopen(name);
    expect(writer.sequence).toBe(7);
    expect(reader.published()).toBe(7);
    writer.writeBytes(testRecords(7, 2));
    reader.readEach(decodeTestRecord, seen);
    expect(seen.map((r) => r.n)).toEqual(range(0, 9));
    expect(seen.every((r) => r.intact)).toBe(true);
    expect(reader.stats.lostRecords).toBe(0);
  });

  it('treats slots left busy as overwritten until the next writer rewrites them', () => {
    const name = rings.name('busy');
    const setup = rings.writer(name, CAPACITY);
    setup.writeBytes(testRecords(0, CAPACITY));
    setup.close();
    using reader = RingReader.open(name, { start: 0 });
    crashMidBatch(name, 2, 0); // records 0 and 1 (slots 0, 1) were being replaced by 8 and 9
    const seen: DecodedTestRecord[] = [];
    // A busy slot is first taken for a write in progress; polls that keep finding it busy
    // consult the claim word, which says record 0 is being overwritten.
    for (let poll = 0; poll < 1_000 && seen.length === 0; poll++) reader.readEach(decodeTestRecord, seen);
    expect(seen.map((r) => r.n)).toEqual(range(2, 6));
    expect(reader.stats.lostRecords).toBe(2);

    using writer = reopen(name);
    expect(writer.sequence).toBe(CAPACITY);
    writer.writeBytes(testRecords(CAPACITY, 2));
    reader.readEach(decodeTestRecord, seen);
    expect(seen.map((r) => r.n)).toEqual(range(2, 8));
    expect(seen.every((r) => r.intact)).toBe(true);
  });
});
