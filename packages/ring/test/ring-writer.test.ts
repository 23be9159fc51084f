import { afterEach, describe, expect, it } from 'vitest';
import { RingLayoutError, RingLockedError, RingReader, RingWriter } from '../src/index.js';
import {
  cleanupRings,
  type DecodedTestRecord,
  decodeTestRecord,
  encodeTestRecord,
  numbersIn,
  RECORD_SIZE,
  range,
  TS_OFFSET,
  testRecords,
  testRingName,
} from './helpers.js';

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

function openWriter(name: string, capacity = 8, startSequence = 0): RingWriter {
  return RingWriter.open(name, {
    recordSize: RECORD_SIZE,
    capacity,
    timestampOffset: TS_OFFSET,
    startSequence,
  });
}

describe('RingWriter', () => {
  it('keeps exactly the last capacity records, in order, after wrapping', () => {
    const name = ringName('wrap');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name, { start: 'oldest' });
    for (let i = 0; i < 21; i++) writer.writeBytes(testRecords(i, 1));
    expect(writer.sequence).toBe(21);
    expect(numbersIn(reader.readBytes())).toEqual(range(21 - 8, 8));
    expect(reader.stats.lostRecords).toBe(21 - 8);
  });

  it('keeps logical order when a batch crosses the physical end of the ring', () => {
    const name = ringName('batch-end');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 5));
    expect(numbersIn(reader.readBytes())).toEqual(range(0, 5));
    writer.writeBytes(testRecords(5, 6)); // slots 5,6,7 then 0,1,2
    expect(numbersIn(reader.readBytes())).toEqual(range(5, 6));
    writer.writeBatch(7, (view, offset, index) => {
      new Uint8Array(view.buffer, offset, RECORD_SIZE).set(testRecords(11 + index, 1));
    });
    expect(numbersIn(reader.readBytes())).toEqual(range(11, 7));
    expect(reader.stats.lostRecords).toBe(0);
  });

  it('publishes a batch larger than the ring in ring-sized parts, keeping the newest', () => {
    const name = ringName('huge-batch');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name, { start: 'oldest' });
    writer.writeBytes(testRecords(0, 20));
    expect(writer.sequence).toBe(20);
    expect(numbersIn(reader.readBytes())).toEqual(range(12, 8));
  });

  it('encodes in place through claim/offsetAt/publish', () => {
    const name = ringName('claim');
    using writer = openWriter(name, 4);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 3));
    reader.readBytes();
    writer.claim(3);
    for (let i = 0; i < 3; i++) writer.bytes.set(testRecords(3 + i, 1), writer.offsetAt(i));
    expect(reader.available()).toBe(0);
    writer.publish();
    expect(numbersIn(reader.readBytes())).toEqual([3, 4, 5]);
  });

  it('publishes nothing when the encode callback throws', () => {
    const name = ringName('encode-throws');
    using writer = openWriter(name, 4);
    using reader = RingReader.open(name);
    expect(() =>
      writer.write(() => {
        throw new Error('bad value');
      }),
    ).toThrow('bad value');
    expect(writer.sequence).toBe(0);
    expect(reader.available()).toBe(0);
    writer.writeBytes(testRecords(0, 1));
    expect(numbersIn(reader.readBytes())).toEqual([0]);
  });

  it('publishes the records a batch completed before its encode callback threw, and no others', () => {
    const name = ringName('batch-throws');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    const decoded: DecodedTestRecord[] = [];
    expect(() =>
      writer.writeBatch(5, (view, offset, index) => {
        if (index === 3) throw new Error('bad row 3');
        encodeTestRecord(view, offset, index);
      }),
    ).toThrow('bad row 3');
    // Records 0..2 were stamped complete (a spinning reader may already have returned them), so
    // they are published; the slot of row 3 was never completed and gets the next record.
    expect(writer.sequence).toBe(3);
    expect(reader.readEach(decodeTestRecord, decoded)).toBe(3);
    writer.writeBatch(2, (view, offset, index) => encodeTestRecord(view, offset, 3 + index));
    reader.readEach(decodeTestRecord, decoded);
    expect(decoded.map((r) => r.n)).toEqual(range(0, 5));
    expect(decoded.every((r) => r.intact)).toBe(true);
    expect(reader.stats.lostRecords).toBe(0);
  });

  it('copies whole records with writeBytes from word-aligned and unaligned buffers across the physical end', () => {
    const name = ringName('bytes-unaligned');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    const decoded: DecodedTestRecord[] = [];
    writer.writeBytes(testRecords(0, 5));
    reader.readEach(decodeTestRecord, decoded);
    const shifted = new Uint8Array(6 * RECORD_SIZE + 1).subarray(1); // no word copy possible
    shifted.set(testRecords(5, 6));
    writer.writeBytes(shifted); // slots 5,6,7 then 0,1,2
    reader.readEach(decodeTestRecord, decoded);
    writer.writeBytes(testRecords(11, 7)); // word copy across the end: slots 3..7 then 0,1
    reader.readEach(decodeTestRecord, decoded);
    expect(decoded.map((r) => r.n)).toEqual(range(0, 18));
    expect(reader.stats.lostRecords).toBe(0);
    expect(decoded.every((r) => r.intact)).toBe(true);
  });

  it('publishes the blocks writeRecords filled before its fill callback threw, and no others', () => {
    // Blocks of 64 KiB of slots (2048 slots of 32 bytes): the fill throws in the second one.
    const name = ringName('records-throws');
    using writer = openWriter(name, 8192);
    using reader = RingReader.open(name);
    const records = testRecords(0, 5000);
    const fill = (bytes: Uint8Array, byteOffset: number, stride: number, from: number, n: number) => {
      if (from + n > 3000) throw new Error('bad column value');
      for (let i = 0; i < n; i++) {
        const at = (from + i) * RECORD_SIZE;
        bytes.set(records.subarray(at, at + RECORD_SIZE), byteOffset + i * stride);
      }
    };
    expect(() => writer.writeRecords(5000, fill)).toThrow('bad column value');
    const published = writer.sequence;
    expect(published).toBeGreaterThan(0);
    expect(published).toBeLessThan(3000);
    const decoded: DecodedTestRecord[] = [];
    reader.readEach(decodeTestRecord, decoded, 10_000);
    // The failing block's slots are rewritten by the next records, in sequence.
    writer.writeBytes(testRecords(published, 10));
    reader.readEach(decodeTestRecord, decoded, 10_000);
    expect(decoded.map((r) => r.n)).toEqual(range(0, published + 10));
    expect(decoded.every((r) => r.intact)).toBe(true);
    expect(reader.stats.lostRecords).toBe(0);
  });

  it('writes one record at a time with writeOne, across the stamp and sequence carries', () => {
    // Start two records below 2^31 (STAMP_LO wraps) in one ring and below 2^32 (CLAIM/PUBLISH
    // HI words carry) in another: writeOne's short path must hand those records to the slow one.
    for (const start of [2 ** 31 - 2, 2 ** 32 - 2]) {
      const name = ringName(`write-one-${start}`);
      using writer = openWriter(name, 4, start);
      using reader = RingReader.open(name, { start: 'oldest' });
      const decoded: DecodedTestRecord[] = [];
      for (let n = start; n < start + 6; n++) {
        writer.writeOne((view, offset, value: number) => encodeTestRecord(view, offset, value), n);
        expect(reader.readEach(decodeTestRecord, decoded)).toBe(1);
      }
      expect(decoded.map((r) => r.n)).toEqual(range(start, 6));
      expect(decoded.every((r) => r.intact)).toBe(true);
      expect(writer.sequence).toBe(start + 6);
      expect(reader.published()).toBe(start + 6);
      expect(reader.stats.lostRecords).toBe(0);
    }
  });

  it('writes batches across the stamp and sequence carries, and a failed one mid-run', () => {
    // A batch's loop runs up to a STAMP_LO wrap, then continues after it: records on both sides
    // must read back whole and in order, and a throw just past the wrap publishes those before it.
    for (const start of [2 ** 31 - 3, 2 ** 32 - 3]) {
      const name = ringName(`write-batch-carry-${start}`);
      using writer = openWriter(name, 8, start);
      using reader = RingReader.open(name, { start: 'oldest' });
      const decoded: DecodedTestRecord[] = [];
      writer.writeBatch(6, (view, offset, index) => encodeTestRecord(view, offset, start + index));
      expect(reader.readEach(decodeTestRecord, decoded)).toBe(6);
      expect(() =>
        writer.writeBatch(5, (view, offset, index) => {
          if (index === 4) throw new Error('bad row');
          encodeTestRecord(view, offset, start + 6 + index);
        }),
      ).toThrow('bad row');
      expect(writer.sequence).toBe(start + 10);
      writer.writeBatch(2, (view, offset, index) => encodeTestRecord(view, offset, start + 10 + index));
      reader.readEach(decodeTestRecord, decoded);
      expect(decoded.map((r) => r.n)).toEqual(range(start, 12));
      expect(decoded.every((r) => r.intact)).toBe(true);
    }
  });

  it("publishes nothing when writeOne's encode throws, and the next record takes the slot", () => {
    const name = ringName('write-one-throws');
    using writer = openWriter(name, 4);
    using reader = RingReader.open(name);
    const encode = (view: DataView, offset: number, value: number) => {
      if (value < 0) throw new Error('bad value');
      encodeTestRecord(view, offset, value);
    };
    writer.writeOne(encode, 0);
    expect(() => writer.writeOne(encode, -1)).toThrow('bad value');
    expect(writer.sequence).toBe(1);
    writer.writeOne(encode, 1);
    const decoded: DecodedTestRecord[] = [];
    reader.readEach(decodeTestRecord, decoded);
    expect(decoded.map((r) => r.n)).toEqual([0, 1]);
    writer.close();
    expect(() => writer.writeOne(encode, 2)).toThrow(/closed/);
  });

  it('writeOne after a pending claim or a failed batch: in order, and CLAIM is never lowered', () => {
    const name = ringName('write-one-after-claim');
    using writer = openWriter(name, 4);
    using reader = RingReader.open(name, { start: 'oldest' });
    const encode = (view: DataView, offset: number, value: number) => encodeTestRecord(view, offset, value);
    writer.writeOne(encode, 0);
    writer.claim(2); // left unpublished: the next write discards it (CLAIM stays at 3)
    writer.writeOne(encode, 1);
    expect(() =>
      writer.writeBatch(3, (view, offset, index) => {
        if (index === 1) throw new Error('bad row');
        encodeTestRecord(view, offset, 2 + index);
      }),
    ).toThrow('bad row');
    // The batch claimed up to 5 and published record 2; its failed slot stays busy until rewritten.
    expect(writer.sequence).toBe(3);
    writer.writeOne(encode, 3); // end 4 < CLAIM 5: the short path must leave CLAIM at 5
    expect(reader.oldest()).toBe(5 - 4);
    writer.writeOne(encode, 4);
    const decoded: DecodedTestRecord[] = [];
    reader.readEach(decodeTestRecord, decoded);
    expect(decoded.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    expect(decoded.every((r) => r.intact)).toBe(true);
  });

  it('refuses a second writer and names the holder pid', () => {
    const name = ringName('second-writer');
    using _writer = openWriter(name);
    let error: unknown;
    try {
      openWriter(name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RingLockedError);
    expect((error as RingLockedError).pid).toBe(process.pid);
    expect((error as RingLockedError).code).toBe('ERR_WRITER_LOCKED');
    expect(String((error as Error).message)).toContain(name);
  });

  it('continues the sequence and keeps the records when a writer reattaches', () => {
    const name = ringName('reattach');
    const first = openWriter(name, 8);
    first.writeBytes(testRecords(0, 5));
    first.close();
    using reader = RingReader.open(name, { start: 'oldest' });
    using second = openWriter(name, 8);
    expect(second.sequence).toBe(5);
    expect(second.lastTimestamp).toBe(4);
    second.writeBytes(testRecords(5, 2));
    expect(numbersIn(reader.readBytes())).toEqual(range(0, 7));
  });

  it('refuses to attach to a ring with a different geometry', () => {
    const name = ringName('geometry');
    openWriter(name, 8).close();
    expect(() => openWriter(name, 16)).toThrow(RingLayoutError);
    expect(() => RingWriter.open(name, { recordSize: 32, capacity: 8 })).toThrow(/32 bytes/);
    // The refused writer released the lock: the right geometry still attaches.
    openWriter(name, 8).close();
  });

  it('rejects bad geometry with errors naming the option', () => {
    const name = ringName('bad-geometry');
    expect(() => RingWriter.open(name, { recordSize: 0, capacity: 8 })).toThrow(/recordSize/);
    expect(() => RingWriter.open(name, { recordSize: 24, capacity: 1.5 })).toThrow(/capacity/);
    expect(() => RingWriter.open(name, { recordSize: 24, capacity: 8, timestampOffset: 20 })).toThrow(
      /timestampOffset 20/,
    );
    expect(() => RingWriter.open(name, { recordSize: 24, capacity: 8, startSequence: -1 })).toThrow(
      /startSequence/,
    );
  });

  it('rejects partial records in writeBytes and bad claim counts, writing nothing', () => {
    const name = ringName('bad-input');
    using writer = openWriter(name, 4);
    expect(() => writer.writeBytes(new Uint8Array(RECORD_SIZE + 1))).toThrow(/whole 24-byte records/);
    expect(() => writer.claim(0)).toThrow(RangeError);
    expect(() => writer.claim(5)).toThrow(/1\.\.4/);
    expect(writer.sequence).toBe(0);
  });

  it('throws on writes after close, and a second close is a no-op', () => {
    const name = ringName('closed');
    const writer = openWriter(name, 4);
    writer.close();
    expect(() => writer.writeBytes(testRecords(0, 1))).toThrow(/closed/);
    expect(() => writer.claim(1)).toThrow(/closed/);
    expect(() => writer.close()).not.toThrow();
  });
});
