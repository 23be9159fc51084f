import { describe, expect, it } from 'vitest';
import { OverrunError, runCleanup } from '../../src/index.js';
import { checkedRecord, checkedSpec, TS_BASE } from '../fixtures/checked-feed.js';
import { useChildren } from '../helpers/child.js';
import { useTempBase } from '../helpers/temp-base.js';

// 24-byte records, 100 per chunk: a thousand records rotate ten times.
const CHUNK_MB = (100 * 24) / (1024 * 1024);

type Row = [number, number, number, number];

/** The seq each record carries in its own `seq` field (the checked feed writes record i with seq i). */
const seqsOf = (rows: unknown) => (rows as Row[]).map((r) => r[1]);

describe('seq on a disk feed', () => {
  const { platform, base } = useTempBase();

  function writeFeed(name: string, count: number, extra: Record<string, unknown> = {}) {
    const p = platform();
    p.createFeed({ ...checkedSpec(name, CHUNK_MB), ...extra });
    const writer = p.createWriter(name);
    for (let i = 0; i < count; i++) writer.writeTuple(checkedRecord(i));
    return writer;
  }

  it('numbers records across rotations: stream({ fromSeq }), lastSeq, rangeSeq, seqAt, nextSeq', () => {
    const writer = writeFeed('s', 1000);
    const reader = platform().createReader('s');
    expect(reader.nextSeq()).toBe(1000);
    for (const from of [0, 1, 99, 100, 101, 555, 999]) {
      const stream = reader.stream({ fromSeq: from });
      expect(stream.lastSeq).toBe(-1);
      for (let seq = from; seq < Math.min(from + 150, 1000); seq++) {
        const record = stream.tryNext() as Row;
        expect(record[1]).toBe(seq);
        expect(stream.lastSeq).toBe(seq);
      }
      stream.close();
    }
    expect(seqsOf(reader.rangeSeq(95, 205))).toEqual(Array.from({ length: 110 }, (_, i) => 95 + i));
    expect(seqsOf(reader.rangeSeq(990, 5000))).toEqual(Array.from({ length: 10 }, (_, i) => 990 + i));
    expect(seqsOf(reader.rangeSeq(5, 5))).toEqual([]);
    const columns = reader.rangeSeq(100, 103, { format: 'columnar' }) as unknown as Record<
      string,
      ArrayLike<number>
    >;
    expect(Array.from(columns.seq)).toEqual([100, 101, 102]);
    // Timestamps repeat in pairs: seqAt is the first record of a tie.
    expect(reader.seqAt(TS_BASE + 250)).toBe(500);
    expect(reader.seqAt(0)).toBe(0);
    expect(reader.seqAt(TS_BASE + 10_000)).toBe(1000);
    // A seq beyond the end waits for it, then yields exactly it.
    const ahead = reader.stream({ fromSeq: 1005 });
    expect(ahead.tryNext()).toBeUndefined();
    for (let i = 1000; i < 1010; i++) writer.writeTuple(checkedRecord(i));
    expect((ahead.tryNext() as Row)[1]).toBe(1005);
    expect(ahead.lastSeq).toBe(1005);
    expect(reader.nextSeq()).toBe(1010);
    expect(() => reader.stream({ start: 0, fromSeq: 0 })).toThrow(/start .* or fromSeq .*not both/);
    expect(() => reader.stream({ fromSeq: -1 })).toThrow(RangeError);
    expect(() => reader.rangeSeq(0.5, 2)).toThrow(RangeError);
  });

  it('keeps every seq when retention removes old chunks; older seqs count as lost', () => {
    // Records 0..999 at TS_BASE + i/2 µs: cleanup at a "now" that expires the first chunks only.
    writeFeed('r', 1000, { retentionHours: 1 });
    const expiredBefore = TS_BASE + 300; // chunks whose newest record is below this go
    const report = runCleanup(base(), { nowUs: expiredBefore + 3600e6 });
    expect(report.deletedChunks).toBeGreaterThan(0);
    const reader = platform().createReader('r');
    const held = seqsOf(reader.rangeSeq(0, 2000));
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(1000);
    const oldest = held[0];
    expect(oldest % 100).toBe(0); // whole chunks went
    expect(held).toEqual(Array.from({ length: 1000 - oldest }, (_, i) => oldest + i));
    expect(reader.nextSeq()).toBe(1000);
    const stream = reader.stream({ fromSeq: 0 });
    expect((stream.tryNext() as Row)[1]).toBe(oldest);
    expect(stream.lastSeq).toBe(oldest);
    expect(reader.stats.lostRecords).toBe(oldest);
    stream.close();
    const strict = platform().createReader('r', { onOverrun: 'throw' });
    expect(() => strict.stream({ fromSeq: 3 })).toThrow(OverrunError);
    expect(seqsOf([strict.stream({ fromSeq: oldest }).tryNext()])).toEqual([oldest]);
  });
});

describe('seq after a crash', () => {
  const { platform, base } = useTempBase();
  const spawnChild = useChildren();

  it('continues with no gap and no duplicate after a writer is killed mid-chunk', async () => {
    const child = spawnChild('writer.ts', [base(), 'c', 1_000_000, CHUNK_MB, 0, 'mixed']);
    await child.line('ready');
    const p = platform();
    const reader = p.createReader('c');
    // Let it write into the middle of some chunk, then kill it.
    while (reader.nextSeq() < 2_050) await new Promise((r) => setTimeout(r, 5));
    child.process.kill('SIGKILL');
    await child.exited;
    const writer = p.createWriter('c');
    const resumeAt = reader.nextSeq();
    expect(resumeAt).toBeGreaterThanOrEqual(2_050);
    for (let i = resumeAt; i < resumeAt + 250; i++) writer.writeTuple(checkedRecord(i));
    const all = seqsOf(reader.rangeSeq(0, Number.MAX_SAFE_INTEGER));
    expect(all.length).toBe(resumeAt + 250);
    expect(all.every((seq, i) => seq === i)).toBe(true);
    const stream = reader.stream({ fromSeq: resumeAt - 3 });
    for (let i = resumeAt - 3; i < resumeAt + 3; i++) expect((stream.tryNext() as Row)[1]).toBe(i);
    stream.close();
  });
});

describe('seq on a ring feed', () => {
  const { platform } = useTempBase();

  it("is the ring's sequence; overwritten seqs count as lost", () => {
    const p = platform();
    // 64 records of ring capacity.
    p.createFeed({ ...checkedSpec('g', (64 * 24) / (1024 * 1024)), persist: false });
    const writer = p.createWriter('g');
    for (let i = 0; i < 200; i++) writer.writeTuple(checkedRecord(i));
    const reader = p.createReader('g');
    expect(reader.nextSeq()).toBe(200);
    expect(seqsOf(reader.rangeSeq(190, 195))).toEqual([190, 191, 192, 193, 194]);
    expect(seqsOf(reader.rangeSeq(0, 1000))).toEqual(Array.from({ length: 64 }, (_, i) => 136 + i));
    expect(reader.seqAt(TS_BASE + 90)).toBe(180);
    const stream = reader.stream({ fromSeq: 150 });
    expect((stream.tryNext() as Row)[1]).toBe(150);
    expect(stream.lastSeq).toBe(150);
    for (let i = 151; i < 200; i++) expect((stream.tryNext() as Row)[1]).toBe(i);
    expect(stream.lastSeq).toBe(199);
    expect(stream.tryNext()).toBeUndefined();
    writer.writeTuple(checkedRecord(200));
    expect((stream.tryNext() as Row)[1]).toBe(200);
    expect(stream.lastSeq).toBe(200);
    const lapped = reader.stream({ fromSeq: 10 });
    const first = lapped.tryNext() as Row;
    expect(first[1]).toBe(lapped.lastSeq);
    expect(first[1]).toBeGreaterThan(10);
    expect(reader.stats.lostRecords).toBe(first[1] - 10);
    expect(() => reader.stream({ start: 0, fromSeq: 0 })).toThrow(TypeError);
    writer.close();
    reader.close();
    p.deleteFeed('g'); // the ring's shared memory object
  });
});
