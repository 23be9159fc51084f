// The replay rows (range() as tuple / object / columnar / raw, and scan()) of two sdk builds, A/B:
// each measurement in a fresh process with the replay bench's heap flags, interleaved (A B, B A,
// ...), the feed filled (untimed) by the build under test. Usage, pinned:
//   A_SDK=<before>/packages/sdk/dist/index.js B_SDK=packages/sdk/dist/index.js \
//     taskset -c 1 node bench/ab/replay-builds.mjs [records=5000000] [rounds=5] [kinds=tuple,object,columnar,raw,scan]
// Reports per row the median wall rate and the median CPU ns per record (process.cpuUsage over
// the timed call: the machine is shared, and the columnar decode threads count too).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fillTicks } from './lib.mjs';

const FLAGS = ['--max-old-space-size=12288', '--expose-gc', '--initial-heap-size=4096'];
const TS_WORD = 4; // timestamp_ns at byte 16 of a 24-byte record: its low 32-bit word

if (process.argv[2] === '--child') {
  const [, , , kind, recordsText, sdk] = process.argv;
  const records = Number(recordsText);
  const { Platform } = await import(sdk);
  const dir = mkdtempSync(join(tmpdir(), 'dw-replay-builds-'));
  const platform = new Platform(dir);
  try {
    fillTicks(platform, 'r', records, 64);
    const reader = platform.createReader('r');
    globalThis.gc();
    let n = 0;
    let checksum = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (kind === 'scan') {
      // As the bench's scan row: every field of every record read, no result built.
      for (const rec of reader.scan(0, records)) {
        checksum += rec.price + rec.size + rec.timestamp_ns;
        n++;
      }
    } else {
      const out = reader.range(0, records, { format: kind });
      if (out instanceof Uint8Array) {
        // As the bench's raw row: each record's whole uint64 timestamp read.
        const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
        for (let i = TS_WORD; i < words.length; i += 6) checksum += words[i + 1] * 2 ** 32 + words[i];
        n = out.byteLength / 24;
      } else if (kind === 'columnar') {
        const ts = out.timestamp_ns;
        for (let i = 0; i < ts.length; i++) checksum += ts[i];
        n = ts.length;
      } else {
        for (const r of out) if (r !== undefined) n++;
      }
    }
    const wall = Number(process.hrtime.bigint() - t0);
    const cpu = process.cpuUsage(cpu0);
    if (n !== records) throw new Error(`${kind}: ${n} records, expected ${records}`);
    reader.close();
    console.log(
      JSON.stringify({
        rateM: (records * 1e3) / wall,
        cpuNs: ((cpu.user + cpu.system) * 1e3) / records,
        checksum,
      }),
    );
  } finally {
    platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const records = process.argv[2] ?? '5000000';
  const rounds = Number(process.argv[3] ?? 5);
  const kinds = (process.argv[4] ?? 'tuple,object,columnar,raw,scan').split(',');
  const builds = { A: process.env.A_SDK, B: process.env.B_SDK };
  if (builds.A === undefined || builds.B === undefined)
    throw new Error('set A_SDK and B_SDK (dist/index.js)');
  const url = (path) => pathToFileURL(resolve(path)).href;
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      for (const tag of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
        const out = execFileSync(process.execPath, [
          ...FLAGS,
          import.meta.filename,
          '--child',
          kind,
          records,
          url(builds[tag]),
        ]);
        const { rateM, cpuNs } = JSON.parse(out.toString());
        results[kind] ??= { A: { rateM: [], cpuNs: [] }, B: { rateM: [], cpuNs: [] } };
        results[kind][tag].rateM.push(rateM);
        results[kind][tag].cpuNs.push(cpuNs);
      }
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const list = (a) => a.map((x) => x.toFixed(1)).join(' ');
  console.log(`A=${builds.A}\nB=${builds.B}\n${records} records, ${rounds} rounds; medians`);
  console.log('row        A M rec/s  B M rec/s   A CPU ns/rec  B CPU ns/rec');
  for (const [kind, v] of Object.entries(results)) {
    console.log(
      `${kind.padEnd(10)} ${median(v.A.rateM).toFixed(1).padStart(9)} ${median(v.B.rateM).toFixed(1).padStart(10)}` +
        ` ${median(v.A.cpuNs).toFixed(1).padStart(13)} ${median(v.B.cpuNs).toFixed(1).padStart(13)}` +
        `   (A ${list(v.A.rateM)} | B ${list(v.B.rateM)} M rec/s)`,
    );
  }
}
