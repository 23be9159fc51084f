// Exact resume with seqs: a consumer checkpoints the seq of the last record it handled and, after a
// restart, continues with the very next record — even where records share a timestamp.
// Run: node --import tsx examples/positions/resume.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';

const base = mkdtempSync(join(tmpdir(), 'deepwater-positions-'));
const platform = new Platform(base);
try {
  platform.createFeed({
    feedName: 'trades',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'timestamp_us', type: 'uint64' },
    ],
    tsCol: 'timestamp_us',
  });
  const writer = platform.createWriter('trades');
  const t0 = 1_700_000_000_000_000;
  for (let i = 0; i < 10; i++) writer.writeValues(100 + i, t0 + Math.floor(i / 4)); // 4 records per µs

  // First run: handle 6 records, checkpoint the seq of the last one.
  const reader = platform.createReader('trades');
  const first = reader.stream({ fromSeq: 0 });
  let checkpoint = -1;
  for (const [price] of first) {
    console.log(`handled price ${price} (seq ${first.lastSeq})`);
    checkpoint = first.lastSeq;
    if (checkpoint === 5) break; // breaking out closes the stream
  }

  // After a restart: resume exactly after the checkpoint, then follow the feed live.
  const resumed = reader.stream({ fromSeq: checkpoint + 1 });
  for (let record = resumed.tryNext(); record !== undefined; record = resumed.tryNext()) {
    console.log(`resumed: price ${record[0]} (seq ${resumed.lastSeq})`);
  }
  console.log(`next seq: ${reader.nextSeq()}; first seq at t0+1: ${reader.seqAt(t0 + 1)}`);
  console.log(
    'seqs 2..5:',
    reader.rangeSeq(2, 5).map((r) => r[0]),
  );
  resumed.close();
} finally {
  platform.close();
  rmSync(base, { recursive: true, force: true });
}
