import { afterEach, describe, expect, it } from 'vitest';
import { RingOverrunError, RingReader, RingWriter } from '../src/index.js';
import { WAITERS_OFFSET } from '../src/layout.js';
import {
  cleanupRings,
  type DecodedTestRecord,
  decodeTestRecord,
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

describe('RingReader', () => {
  it('moves runs of every length through writeBytes and readBytes byte for byte, across the physical end', () => {
    // Short runs are copied in JS, runs of 16 and more by one native call: each side of that
    // threshold, and runs that wrap around the ring's end (each part copied on its own).
    const name = ringName('runs');
    using writer = openWriter(name, 64);
    using reader = RingReader.open(name, { start: 'oldest' });
    let next = 0;
    for (const count of [1, 15, 16, 17, 40, 63, 64, 3, 50]) {
      const sent = testRecords(next, count);
      writer.writeBytes(sent);
      const received = reader.readBytes();
      expect(received).toEqual(sent);
      expect(numbersIn(received)).toEqual(range(next, count));
      next += count;
    }
  });

  it('returns null from tryOpen until a writer has created the ring', () => {
    const name = ringName('absent');
    expect(RingReader.tryOpen(name)).toBeNull();
    expect(() => RingReader.open(name)).toThrow(/does not exist/);
    openWriter(name).close();
    const reader = RingReader.tryOpen(name);
    expect(reader).not.toBeNull();
    reader?.close();
  });

  it('starts at the live head by default and at the oldest record on request', () => {
    const name = ringName('start');
    using writer = openWriter(name, 8);
    writer.writeBytes(testRecords(0, 3));
    using live = RingReader.open(name);
    using history = RingReader.open(name, { start: 'oldest' });
    writer.writeBytes(testRecords(3, 1));
    expect(numbersIn(live.readBytes())).toEqual([3]);
    expect(numbersIn(history.readBytes())).toEqual([0, 1, 2, 3]);
  });

  it('gives every reader its own cursor', () => {
    const name = ringName('cursors');
    using writer = openWriter(name, 8);
    using a = RingReader.open(name);
    using b = RingReader.open(name);
    writer.writeBytes(testRecords(0, 4));
    expect(numbersIn(a.readBytes(2))).toEqual([0, 1]);
    expect(numbersIn(b.readBytes())).toEqual([0, 1, 2, 3]);
    expect(numbersIn(a.readBytes())).toEqual([2, 3]);
  });

  it('decodes in place with readEach and respects maxRecords', () => {
    const name = ringName('read-each');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 6));
    const out: DecodedTestRecord[] = [];
    expect(reader.readEach(decodeTestRecord, out, 4)).toBe(4);
    expect(reader.readEach(decodeTestRecord, out)).toBe(2);
    expect(reader.readEach(decodeTestRecord, out)).toBe(0);
    expect(out.map((r) => r.n)).toEqual(range(0, 6));
    expect(out.every((r) => r.intact)).toBe(true);
  });

  it('discards records the writer overwrote while they were being decoded, counting them lost', () => {
    const name = ringName('torn');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 8));
    const out: DecodedTestRecord[] = [];
    let lapped = false;
    const count = reader.readEach((view, offset) => {
      // Simulates a writer that laps the reader mid-copy: records 0..2 get overwritten.
      if (!lapped) {
        lapped = true;
        writer.writeBytes(testRecords(8, 3));
      }
      return decodeTestRecord(view, offset);
    }, out);
    // Record 0 was overwritten under decode and 1, 2 before they were reached; the read goes on
    // through the records published meanwhile.
    expect(out.map((r) => r.n)).toEqual(range(3, 8));
    expect(out.every((r) => r.intact)).toBe(true);
    expect(count).toBe(8);
    expect(reader.stats).toEqual({ lostRecords: 3, overruns: 1 });
    expect(reader.readBytes().byteLength).toBe(0);
  });

  it('reads one record at a time with readOne, validated like readEach', () => {
    const name = ringName('read-one');
    using writer = openWriter(name, 4);
    using reader = RingReader.open(name);
    const none = Symbol('none');
    expect(reader.readOne(decodeTestRecord, none)).toBe(none);
    writer.writeBytes(testRecords(0, 2));
    expect(reader.readOne(decodeTestRecord, none)).toEqual({ n: 0, intact: true });
    expect(reader.readOne(decodeTestRecord, none)).toEqual({ n: 1, intact: true });
    expect(reader.readOne(decodeTestRecord, none)).toBe(none);
    // Lapped: records 2..5 are overwritten by 6..9 before the reader looks.
    writer.writeBytes(testRecords(2, 8));
    expect(reader.readOne(decodeTestRecord, none)).toEqual({ n: 6, intact: true });
    expect(reader.stats).toEqual({ lostRecords: 4, overruns: 1 });
    // Record 7 is overwritten while it is decoded (10..13 replace 6..9): 7, 8, 9 are dropped and
    // counted, and the oldest intact record, 10, is returned.
    let overwrite = true;
    const record = reader.readOne((view, offset) => {
      if (overwrite) {
        overwrite = false;
        writer.writeBytes(testRecords(10, 4));
      }
      return decodeTestRecord(view, offset);
    }, none);
    expect(record).toEqual({ n: 10, intact: true });
    expect(reader.stats).toEqual({ lostRecords: 4 + 3, overruns: 2 });
    expect(reader.position).toBe(11);
  });

  it('answers readOne polls at the live head from the slot it watches, across laps and seeks', () => {
    // A reader that finds nothing remembers what its slot held and answers later polls from it
    // while the slot is unchanged: that memory must follow every way the cursor and slot move.
    const name = ringName('read-one-idle');
    using writer = openWriter(name, 4);
    using reader = RingReader.open(name, { start: 'oldest' });
    const none = Symbol('none');
    // Many polls of an empty slot, then of slots holding the previous lap, each answered "not yet"
    // until the record lands, then the record itself, in order.
    for (let n = 0; n < 40; n++) {
      for (let poll = 0; poll < 3; poll++) expect(reader.readOne(decodeTestRecord, none)).toBe(none);
      writer.writeBytes(testRecords(n, 1));
      expect(reader.readOne(decodeTestRecord, none)).toEqual({ n, intact: true });
    }
    expect(reader.stats.lostRecords).toBe(0);
    // At the head (cursor 40) the slot holds record 36. Lapped in the meantime, then moved back:
    // record 36's slot again, but now holding 40 after 36..39 were overwritten by 40..43.
    expect(reader.readOne(decodeTestRecord, none)).toBe(none);
    reader.seek(36);
    writer.writeBytes(testRecords(40, 4));
    expect(reader.readOne(decodeTestRecord, none)).toEqual({ n: 40, intact: true });
    expect(reader.stats).toEqual({ lostRecords: 4, overruns: 1 });
    // The slot watched at the head holding what a seek back lands on: cursor 44 polls slot 0
    // (record 40), then seek(36) lands on slot 0 too, where record 36 was overwritten by 40.
    for (let n = 41; n < 44; n++) expect(reader.readOne(decodeTestRecord, none)).toEqual({ n, intact: true });
    expect(reader.readOne(decodeTestRecord, none)).toBe(none);
    reader.seek(36);
    expect(reader.readOne(decodeTestRecord, none)).toEqual({ n: 40, intact: true });
    expect(reader.stats).toEqual({ lostRecords: 8, overruns: 2 });
  });

  it('discards overwritten records in readInto too', () => {
    const name = ringName('torn-bytes');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 8));
    // Claimed but not yet published slots are already unsafe for readers.
    writer.claim(2);
    const target = new Uint8Array(8 * RECORD_SIZE);
    const count = reader.readInto(target);
    expect(count).toBe(6);
    expect(numbersIn(target.subarray(0, count * RECORD_SIZE))).toEqual(range(2, 6));
    expect(reader.stats.lostRecords).toBe(2);
  });

  it('skips to the oldest valid record when lapped and counts exactly what it lost', () => {
    const name = ringName('lapped');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 30));
    const received = numbersIn(reader.readBytes());
    expect(received).toEqual(range(22, 8));
    expect(30 - received.length).toBe(reader.stats.lostRecords);
  });

  it("throws RingOverrunError with onOverrun: 'throw', then continues at the oldest valid record", () => {
    const name = ringName('overrun-throw');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name, { onOverrun: 'throw' });
    writer.writeBytes(testRecords(0, 12));
    let error: unknown;
    try {
      reader.readBytes();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RingOverrunError);
    expect((error as RingOverrunError).name).toBe('RingOverrunError');
    expect((error as RingOverrunError).lost).toBe(4);
    expect(numbersIn(reader.readBytes())).toEqual(range(4, 8));
    expect(reader.stats.lostRecords).toBe(4);
  });

  it('keeps records decoded before a decode error and leaves the cursor on the failing record', () => {
    const name = ringName('decode-error');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 4));
    const out: number[] = [];
    const decodeUntilTwo = (view: DataView, offset: number): number => {
      const { n } = decodeTestRecord(view, offset);
      if (n === 2) throw new RangeError('record 2 is not representable');
      return n;
    };
    expect(() => reader.readEach(decodeUntilTwo, out)).toThrow(/record 2/);
    expect(out).toEqual([0, 1]);
    expect(reader.position).toBe(2);
    expect(numbersIn(reader.readBytes())).toEqual([2, 3]);
  });

  it('finds the first record at or after a timestamp among those still held', () => {
    const name = ringName('lower-bound');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    writer.writeBytes(testRecords(0, 12)); // holds 4..11, timestamps equal numbers
    expect(reader.lowerBound(6)).toBe(6);
    expect(reader.lowerBound(0)).toBe(4);
    expect(reader.lowerBound(100)).toBe(12);
    expect(reader.timestampAt(11)).toBe(11);
    expect(reader.timestampAt(3)).toBeNull();
    expect(reader.timestampAt(12)).toBeNull();
    reader.seek(reader.lowerBound(9));
    expect(numbersIn(reader.readBytes())).toEqual([9, 10, 11]);
  });

  it('finds lower bounds of bigint timestamps beyond 2^53 exactly, ties within a double included', () => {
    const name = ringName('lower-bound-64');
    using writer = openWriter(name, 16);
    using reader = RingReader.open(name);
    const base = 1_764_151_200_000_000_000n; // doubles are 256 apart here
    const stamps = [0n, 1n, 1n, 2n, 127n, 128n, 129n, 255n, 256n, 300n].map((o) => base + o);
    const bytes = new Uint8Array(stamps.length * RECORD_SIZE);
    const view = new DataView(bytes.buffer);
    stamps.forEach((ts, i) => {
      view.setBigUint64(i * RECORD_SIZE + TS_OFFSET, ts, true);
    });
    writer.writeBytes(bytes);
    for (const q of [...stamps, base - 1n, base + 3n, base + 301n]) {
      const first = stamps.findIndex((ts) => ts >= q);
      expect(reader.lowerBound(q), `lowerBound(${q})`).toBe(first === -1 ? stamps.length : first);
    }
    expect(reader.timestampAt(6, true)).toBe(base + 129n);
    expect(reader.lowerBound(Number(base))).toBe(0); // a rounded number: the search of old
  });

  it('reads sequences consistently across the 2^32 carry of the low word', () => {
    const name = ringName('carry');
    const start = 0x100000000 - 5;
    using writer = openWriter(name, 8, start);
    using reader = RingReader.open(name, { start: 'oldest' });
    expect(reader.firstSequence).toBe(start);
    writer.writeBytes(testRecords(start, 3));
    expect(numbersIn(reader.readBytes())).toEqual(range(start, 3));
    writer.writeBytes(testRecords(start + 3, 6));
    expect(reader.published()).toBe(start + 9);
    expect(numbersIn(reader.readBytes())).toEqual(range(start + 3, 6));
    expect(reader.stats.lostRecords).toBe(0);
    writer.writeBytes(testRecords(start + 9, 20));
    expect(numbersIn(reader.readBytes())).toEqual(range(start + 21, 8));
    expect(reader.stats.lostRecords).toBe(12);
  });

  it('waits for records with every strategy and reports a timeout as false', async () => {
    const name = ringName('wait');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    for (const strategy of ['spin', 'yield', 'block'] as const) {
      expect(reader.waitForRecords({ strategy, timeoutMs: 5 })).toBe(false);
      expect(await reader.waitForRecordsAsync({ strategy, timeoutMs: 5 })).toBe(false);
      setTimeout(() => writer.writeBytes(testRecords(writer.sequence, 1)), 5);
      expect(await reader.waitForRecordsAsync({ strategy, timeoutMs: 10_000 })).toBe(true);
      expect(reader.readBytes().byteLength).toBe(RECORD_SIZE);
    }
    expect(() => reader.waitForRecords({ strategy: 'nap' as never })).toThrow(/'spin', 'yield', 'block'/);
  });

  it('wakes every parked reader of a ring when the writer publishes', async () => {
    const name = ringName('many-waiters');
    using writer = openWriter(name, 8);
    const readers = [RingReader.open(name), RingReader.open(name), RingReader.open(name)];
    const waits = readers.map((reader) =>
      reader.waitForRecordsAsync({ strategy: 'block', timeoutMs: 10_000 }),
    );
    setTimeout(() => writer.writeBytes(testRecords(0, 1)), 5);
    expect(await Promise.all(waits)).toEqual([true, true, true]);
    for (const reader of readers) reader.close();
  });

  it('announces a parked async wait in WAITERS, is woken by the next publish and withdraws it', async () => {
    const name = ringName('parked-wake');
    using writer = openWriter(name, 8);
    using reader = RingReader.open(name);
    const waiters = (): number => reader.view.getInt32(WAITERS_OFFSET, true);
    // The pre-park poll runs before the first await: when the call returns, the wait is parked.
    const waiting = reader.waitForRecordsAsync({ strategy: 'block', timeoutMs: 60_000 });
    expect(waiters()).toBe(1);
    writer.writeBytes(testRecords(0, 1));
    expect(await waiting).toBe(true);
    expect(waiters()).toBe(0); // the writer stops issuing FUTEX_WAKE once the reader is back
    expect(reader.readBytes().byteLength).toBe(RECORD_SIZE);
  });

  it('resolves a pending async wait with false when the reader is closed', async () => {
    const name = ringName('close-wait');
    using _writer = openWriter(name, 8);
    const reader = RingReader.open(name);
    const waiting = reader.waitForRecordsAsync({ strategy: 'block' });
    setTimeout(() => reader.close(), 5);
    expect(await waiting).toBe(false);
    expect(() => reader.readBytes()).toThrow(/closed/);
    expect(() => reader.close()).not.toThrow();
  });

  it('rejects an unknown overrun policy and a bad seek', () => {
    const name = ringName('bad-options');
    using _writer = openWriter(name, 8);
    expect(() => RingReader.open(name, { onOverrun: 'ignore' as never })).toThrow(/onOverrun/);
    using reader = RingReader.open(name);
    expect(() => reader.seek(-1)).toThrow(/non-negative/);
  });
});
