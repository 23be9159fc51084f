// A/B of disk writeRaw (the columnar.disk.writeRaw.24B row) between two sdk builds, beside the C
// file floor (native/filefloor.c) in the same run: rounds of C, A, B, each in a fresh process
// pinned like this script (run it under taskset -c 1). 24-byte records in calls of 65 536 into
// 64 MB chunks, as the bench child writes them. Prints each round, then medians of the rate (wall)
// and of the CPU the write took (user + sys, all threads: V8's concurrent marking included).
//   A_SDK=<before>/dist/index.js B_SDK=<after>/dist/index.js node bench/ab/write-raw.mjs [rounds=7] [records=10000000]
// A "before" build: a copy of packages/sdk/dist made inside packages/sdk (so its imports resolve).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RECORD = 24;
const CALL = 65_536;
const CHUNK_MB = 64;

async function child(sdkPath, records) {
  const { Platform } = await import(pathToFileURL(sdkPath).href);
  const base = mkdtempSync(join(tmpdir(), 'ab-write-raw-'));
  const raw = new Uint8Array(records * RECORD);
  const f64 = new Float64Array(raw.buffer);
  const u32 = new Uint32Array(raw.buffer);
  for (let i = 0; i < records; i++) {
    f64[3 * i] = 101.25 + (i % 100) / 100;
    f64[3 * i + 1] = 1 + (i % 7);
    u32[6 * i + 4] = i; // timestamp_ns = i (high word 0)
  }
  const platform = new Platform(base);
  try {
    const fields = [
      { name: 'price', type: 'float64' },
      { name: 'size', type: 'float64' },
      { name: 'timestamp_ns', type: 'uint64' },
    ];
    platform.createFeed({
      feedName: 'w',
      fields,
      tsCol: 'timestamp_ns',
      persist: true,
      chunkSizeMb: CHUNK_MB,
    });
    const writer = platform.createWriter('w');
    const cpu0 = process.cpuUsage();
    let spent = 0n;
    for (let done = 0; done < records; done += CALL) {
      const bytes = raw.subarray(done * RECORD, Math.min(done + CALL, records) * RECORD);
      const t0 = process.hrtime.bigint();
      writer.writeRaw(bytes);
      spent += process.hrtime.bigint() - t0;
    }
    const cpu = process.cpuUsage(cpu0);
    writer.close();
    return { rate: (records * 1e9) / Number(spent), cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    platform.close();
    rmSync(base, { recursive: true, force: true });
  }
}

function floor(records) {
  const here = dirname(fileURLToPath(import.meta.url));
  const binary = join(tmpdir(), `filefloor-${process.pid}`);
  execFileSync('cc', ['-O2', '-o', binary, join(here, '..', 'native', 'filefloor.c')]);
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'ab-write-raw-floor-'));
    try {
      const perChunk = String(Math.floor((CHUNK_MB * 1024 * 1024) / RECORD));
      const out = execFileSync(binary, [dir, String(records), '1', perChunk], { encoding: 'utf8' });
      return { rate: JSON.parse(out).raw[0] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

if (process.env.AB_CHILD !== undefined) {
  const result = await child(process.env.AB_CHILD, Number(process.argv[2]));
  process.stdout.write(JSON.stringify(result));
} else {
  const builds = { A: process.env.A_SDK, B: process.env.B_SDK };
  if (builds.A === undefined || builds.B === undefined) {
    throw new Error('set A_SDK and B_SDK to the dist/index.js of the two builds');
  }
  const rounds = Number(process.argv[2] ?? 7);
  const records = Number(process.argv[3] ?? 10_000_000);
  const runFloor = floor(records);
  const results = { C: [], A: [], B: [] };
  for (let r = 0; r < rounds; r++) {
    results.C.push(runFloor());
    for (const tag of r % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(records)], {
        env: { ...process.env, AB_CHILD: builds[tag] },
        encoding: 'utf8',
      });
      results[tag].push(JSON.parse(out));
    }
    const show = (x) =>
      `${(x.rate / 1e6).toFixed(1)} M/s${x.cpuMs === undefined ? '' : ` ${x.cpuMs.toFixed(0)} ms CPU`}`;
    console.log(
      `round ${r + 1}: C ${show(results.C[r])} | A ${show(results.A[r])} | B ${show(results.B[r])}`,
    );
  }
  for (const tag of ['C', 'A', 'B']) {
    const rate = median(results[tag].map((x) => x.rate)) / 1e6;
    const cpu = tag === 'C' ? '' : `, CPU median ${median(results[tag].map((x) => x.cpuMs)).toFixed(0)} ms`;
    const ratio =
      tag === 'C'
        ? ''
        : `, median of per-round ratios to C ${median(results[tag].map((x, i) => x.rate / results.C[i].rate)).toFixed(2)}x`;
    console.log(`${tag}: median ${rate.toFixed(1)} M rec/s${cpu}${ratio}`);
  }
}
