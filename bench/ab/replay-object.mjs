// range() as object / tuple beside V8 building the same objects / arrays, each measurement in a fresh
// process with the replay bench's heap flags, interleaved (A B A B ...). Usage (sdk built):
//   node bench/ab/replay-object.mjs [records=5000000] [rounds=3] [kinds=object,floor-object]
// SDK=<path to another build's dist/index.js> runs that build instead; a kind `before:object` uses
// the SDK_BEFORE build for that kind (before/after in the same run).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FLAGS = ['--max-old-space-size=12288', '--expose-gc', '--initial-heap-size=4096'];

if (process.argv[2] === '--child') {
  const [, , , kind, recordsText, sdk] = process.argv;
  const records = Number(recordsText);
  const { Platform } = await import(sdk);
  const dir = mkdtempSync(join(tmpdir(), 'dw-replay-ab-'));
  const platform = new Platform(dir);
  try {
    platform.createFeed({
      feedName: 'r',
      fields: [
        { name: 'price', type: 'float64' },
        { name: 'size', type: 'float64' },
        { name: 'timestamp_ns', type: 'uint64' },
      ],
      tsCol: 'timestamp_ns',
      persist: true,
      chunkSizeMb: 64,
    });
    const writer = platform.createWriter('r');
    const rows = Array.from({ length: 10_000 }, () => [101.25, 3, 0]);
    for (let done = 0; done < records; done += rows.length) {
      for (let i = 0; i < rows.length; i++) rows[i][2] = done + i;
      writer.writeBatch(rows);
    }
    writer.close();
    const reader = platform.createReader('r');
    globalThis.gc();
    let rate;
    if (kind.startsWith('floor')) {
      const fields = new Float64Array(records * 3);
      for (let i = 0; i < records; i++) {
        fields[3 * i] = 101.25;
        fields[3 * i + 1] = 3;
        fields[3 * i + 2] = i;
      }
      globalThis.gc();
      const t0 = process.hrtime.bigint();
      const out = new Array(records);
      if (kind === 'floor-tuple') {
        for (let i = 0, j = 0; i < records; i++, j += 3) out[i] = [fields[j], fields[j + 1], fields[j + 2]];
      } else {
        for (let i = 0, j = 0; i < records; i++, j += 3)
          out[i] = { price: fields[j], size: fields[j + 1], timestamp_ns: fields[j + 2] };
      }
      let n = 0;
      for (const r of out) if (r !== undefined) n++;
      rate = records / (Number(process.hrtime.bigint() - t0) / 1e9);
      if (n !== records) throw new Error('count');
    } else {
      const format = kind.replace('before:', '');
      const t0 = process.hrtime.bigint();
      const out = reader.range(0, records, { format });
      let n = 0;
      if (out instanceof Uint8Array) {
        // As the bench's raw row: each record's whole uint64 timestamp read.
        const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
        let checksum = 0;
        for (let i = 4; i < words.length; i += 6) checksum += words[i + 1] * 2 ** 32 + words[i];
        n = checksum > 0 ? out.byteLength / 24 : 0;
      } else {
        for (const r of out) if (r !== undefined) n++;
      }
      rate = records / (Number(process.hrtime.bigint() - t0) / 1e9);
      if (n !== records) throw new Error('count');
    }
    reader.close();
    console.log(rate);
  } finally {
    platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const records = process.argv[2] ?? '5000000';
  const rounds = Number(process.argv[3] ?? 3);
  const kinds = (process.argv[4] ?? 'object,floor-object').split(',');
  const after = process.env.SDK ?? import.meta.resolve('@deepwater/sdk');
  const before = process.env.SDK_BEFORE ?? after;
  const rates = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      const sdk = kind.startsWith('before:') ? before : after;
      const out = execFileSync(process.execPath, [
        ...FLAGS,
        import.meta.filename,
        '--child',
        kind,
        records,
        sdk,
      ]);
      rates[kind].push(Number(out.toString().trim()) / 1e6);
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  for (const kind of kinds) {
    console.log(
      `${kind.padEnd(16)} median ${median(rates[kind]).toFixed(2)} M/s  (${rates[kind].map((r) => r.toFixed(2)).join(' ')})`,
    );
  }
}
