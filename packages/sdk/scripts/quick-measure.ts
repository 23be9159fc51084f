// Quick numbers for the sdk's hot paths (the bench package has the real harness).
// Run: node --import tsx scripts/quick-measure.ts [records=10000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '../src/index.js';

const total = Number(process.argv[2] ?? 10_000_000);
const base = mkdtempSync(join(tmpdir(), 'dw-measure-'));
const p = new Platform(base);
const spec = (feedName: string) => ({
  feedName,
  fields: [
    { name: 'price', type: 'float64' },
    { name: 'size', type: 'float64' },
    { name: 'timestamp_us', type: 'uint64' },
  ],
  tsCol: 'timestamp_us',
});
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const T0 = 1_700_000_000_000_000;

try {
  // writeValues: median over 100 blocks of 10,000 writes (1M writes), ns per record.
  p.createFeed(spec('values'));
  const w = p.createWriter('values');
  let ts = T0;
  for (let i = 0; i < 200_000; i++) w.writeValues(100.5, 2, ts++); // warm-up
  const perBlock: number[] = [];
  for (let b = 0; b < 100; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 10_000; i++) w.writeValues(100.5, 2, ts++);
    perBlock.push(Number(process.hrtime.bigint() - start) / 10_000);
  }
  console.log(`writeValues 24-byte record: median ${median(perBlock).toFixed(1)} ns/record (1M writes)`);
  w.close();

  // writeBatch into the range feed (also builds the 10M-record feed for the reads below).
  p.createFeed(spec('big'));
  p.createFeed({ ...spec('big-if'), mode: 'IF' });
  const bw = p.createWriter('big');
  const batch = 1000;
  const rows = Array.from({ length: batch }, () => [0, 0, 0] as [number, number, number]);
  let bts = T0;
  const wStart = process.hrtime.bigint();
  for (let done = 0; done < total; done += batch) {
    for (let i = 0; i < batch; i++) {
      const row = rows[i];
      row[0] = 100 + (i & 15);
      row[1] = i;
      row[2] = bts++;
    }
    bw.writeBatch(rows);
  }
  const wSec = Number(process.hrtime.bigint() - wStart) / 1e9;
  console.log(
    `writeBatch (1000 rows/batch): ${(total / wSec / 1e6).toFixed(1)} M rec/s over ${total} records`,
  );
  bw.close();
  // The same records into a mode 'IF' feed, for the seek comparison.
  const iw = p.createWriter('big-if');
  bts = T0;
  for (let done = 0; done < total; done += batch) {
    for (let i = 0; i < batch; i++) rows[i][2] = bts++;
    iw.writeBatch(rows);
  }
  iw.close();

  const r = p.createReader('big');
  for (const format of ['tuple', 'columnar', 'raw'] as const) {
    r.range(T0, T0 + 1000, { format }); // warm-up
    const start = process.hrtime.bigint();
    const out = r.range(T0, T0 + total, { format });
    const sec = Number(process.hrtime.bigint() - start) / 1e9;
    const n =
      format === 'tuple'
        ? (out as unknown[]).length
        : format === 'raw'
          ? (out as Uint8Array).length / 24
          : (out as Record<string, Float64Array>).price.length;
    console.log(`range ${format}: ${(n / sec / 1e6).toFixed(1)} M rec/s (${n} records)`);
  }

  // Seek: range(t, t + 1) = chunk-level search + in-chunk lower bound + one decode, random t.
  for (const name of ['big', 'big-if']) {
    const reader = p.createReader(name);
    const seeks: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const target = T0 + Math.floor(Math.random() * total);
      const start = process.hrtime.bigint();
      const got = reader.range(target, target + 1);
      seeks.push(Number(process.hrtime.bigint() - start));
      if ((got[0] as number[])[2] !== target) throw new Error('seek returned the wrong record');
    }
    const mode = name === 'big' ? 'UF: binary search over the mapping' : 'IF: sparse index, then the mapping';
    console.log(
      `time seek in a ${total}-record feed (${mode}): median ${(median(seeks) / 1000).toFixed(2)} µs`,
    );
    reader.close();
  }
  r.close();
} finally {
  p.close();
  rmSync(base, { recursive: true, force: true });
}
