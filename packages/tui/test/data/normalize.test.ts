import { describe, expect, it } from 'vitest';
import { feedNames, normalizeFeedStatus, normalizeRing, normalizeSchema } from '../../src/data/normalize.js';

describe('normalizing the sdk status', () => {
  it('maps a full FeedStatus, converting bigint counters', () => {
    const s = normalizeFeedStatus(
      {
        name: 'trades',
        persist: true,
        mode: 'IF',
        recordSize: 24,
        fmt: '<ddQ',
        records: 10n,
        firstTs: 1,
        lastTs: 2,
        chunkCount: 1,
        bytesOnDisk: 4096,
        retentionHours: 72,
        writerPid: 77,
        lastAppendUs: 3,
        chunks: [{ id: 0, state: 'active', firstTs: 1, lastTs: 2, records: 10, path: '/x', bytes: 4096 }],
      },
      'trades',
    );
    expect(s).toMatchObject({
      name: 'trades',
      mode: 'IF',
      records: 10,
      writerPid: 77,
      lastAppendUs: 3,
      ring: null,
    });
    expect(s.chunks[0]).toEqual({ id: 0, state: 'active', firstTs: 1, lastTs: 2, records: 10, bytes: 4096 });
  });

  it("scales record timestamps from the feed's tsUnit to µs, the dashboard's unit", () => {
    const nsNow = Number(1_764_151_200_123_456_789n); // as the sdk status reports it: rounded
    const ns = normalizeFeedStatus(
      { tsUnit: 'ns', firstTs: nsNow, lastTs: nsNow, chunks: [{ id: 1, firstTs: nsNow, lastTs: nsNow }] },
      'ns',
    );
    expect(ns.lastTs).toBeCloseTo(1_764_151_200_123_456.8, 0);
    expect(ns.chunks[0].firstTs).toBeCloseTo(1_764_151_200_123_456.8, 0);
    expect(normalizeFeedStatus({ tsUnit: 'ms', lastTs: 1_764_151_200_123 }, 'ms').lastTs).toBe(
      1_764_151_200_123_000,
    );
    expect(normalizeFeedStatus({ tsUnit: 's', lastTs: 1_764_151_200 }, 's').lastTs).toBe(
      1_764_151_200_000_000,
    );
    expect(normalizeFeedStatus({ lastTs: 5 }, 'us').lastTs).toBe(5); // no unit: µs, as old bases are
  });

  it('turns missing fields into null instead of guessing', () => {
    const s = normalizeFeedStatus({ persist: false }, 'q');
    expect(s).toMatchObject({
      name: 'q',
      persist: false,
      records: 0,
      lastAppendUs: null,
      writerPid: null,
      bytesOnDisk: null,
      chunkCount: null,
    });
  });

  it("reads ring fill as a count or as a fraction of capacity, and sums readers' losses", () => {
    expect(normalizeRing({ capacity: 1024, fill: 0.5 }).fillRecords).toBe(512);
    expect(normalizeRing({ capacity: 1024, fill: 300 }).fillRecords).toBe(300);
    const r = normalizeRing({
      capacity: 8,
      wraps: 3,
      readers: [
        { pid: 1, lag: 2, lostRecords: 4 },
        { pid: 2, lost: 1 },
      ],
    });
    expect(r).toMatchObject({ wraps: 3, lostRecords: 5 });
    expect(r.readers?.[0]).toEqual({ pid: 1, lagRecords: 2, lostRecords: 4, heartbeatUs: null });
  });

  it('reads feed names from FeedInfo objects or plain strings', () => {
    expect(feedNames([{ name: 'a' }, { feedName: 'b' }, 'c', 42])).toEqual(['a', 'b', 'c']);
    expect(feedNames(undefined)).toEqual([]);
  });

  it('maps a record format', () => {
    const f = normalizeSchema({
      fmt: '<dQ',
      recordSize: 16,
      tsCol: 'ts',
      fields: [
        { name: 'p', type: 'float64', offset: 0, size: 8 },
        { name: 'ts', type: 'uint64', offset: 8, size: 8 },
      ],
    });
    expect(f.fields.map((x) => x.name)).toEqual(['p', 'ts']);
    expect(f.tsCol).toBe('ts');
  });

  it("keeps a field's value labels, so the records table shows names instead of numbers", () => {
    const f = normalizeSchema({
      fields: [
        { name: 'kind', type: 'uint8', offset: 0, size: 1, labels: { 1: 'SEQUENCE_GAP', 2: 7 } },
        { name: 'code', type: 'uint8', offset: 1, size: 1, labels: 'nonsense' },
      ],
    });
    expect(f.fields[0].labels).toEqual({ 1: 'SEQUENCE_GAP' });
    expect(f.fields[1].labels).toBeUndefined();
  });
});

describe('normalizing a ring feed as the sdk reports it', () => {
  it('takes the counters, timestamps and fill from the ring header', () => {
    const s = normalizeFeedStatus(
      {
        name: 'book',
        persist: false,
        records: 0,
        firstTs: null,
        lastTs: null,
        writerPid: null,
        lastAppendUs: null,
        chunks: [],
        ring: {
          shmName: 'dw-abc-book',
          exists: true,
          capacity: 1024,
          recordSize: 24,
          bytes: 24_640,
          recordsWritten: 5000,
          recordsHeld: 1024,
          wraps: 4,
          oldestSequence: 3976,
          firstTs: 10,
          lastTs: 20,
          writerPid: 99,
        },
      },
      'book',
    );
    expect(s).toMatchObject({ records: 5000, firstTs: 10, lastTs: 20, writerPid: 99, persist: false });
    // The sdk's top-level `records` of a ring is what it holds; the counter stays records written.
    expect(
      normalizeFeedStatus({ persist: false, records: 1024, ring: { recordsWritten: 5000 } }, 'b').records,
    ).toBe(5000);
    expect(s.ring).toEqual({
      capacity: 1024,
      fillRecords: 1024,
      wraps: 4,
      shmBytes: 24_640,
      readers: null,
      lostRecords: null,
    });
  });
});
