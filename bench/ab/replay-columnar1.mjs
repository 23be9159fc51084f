// The 1-thread columnar replay against its C floor in the same rounds (issue #20,
// sdk.disk.replay-columnar-1-thread): per round and build, a fresh feed filled by that build in
// one child (as the bench's replay child fills it: writeBatch ×10 000, 63 MiB chunks), one
// range(0, N, { format: 'columnar' }) from a decodeThreads: 1 reader in a fresh child (bench heap
// flags), then bench/native/memfloor (3 reps, as the bench runs it; its columnar reps are read).
// Prints wall rate, CPU (user + system) and GCs in range(), and each build's median ratio to the
// floor of its own rounds. Run pinned, builds interleaved:
//   A_SDK=<before>/packages/sdk/dist/index.js B_SDK=packages/sdk/dist/index.js \
//     taskset -c 1 node bench/ab/replay-columnar1.mjs [rounds=5] [records=10000000]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fillTicks } from './lib.mjs';

const FLAGS = ['--max-old-space-size=12288', '--expose-gc', '--initial-heap-size=4096'];

async function fill(sdk, base, records) {
  const { Platform } = await import(pathToFileURL(sdk).href);
  const platform = new Platform(base);
  const r0 = process.resourceUsage();
  const t0 = process.hrtime.bigint();
  try {
    fillTicks(platform, 'f', records, 63);
  } finally {
    platform.close();
  }
  const r1 = process.resourceUsage();
  return {
    ms: Number(process.hrtime.bigint() - t0) / 1e6,
    cpu: (r1.userCPUTime + r1.systemCPUTime - r0.userCPUTime - r0.systemCPUTime) / 1e3,
  };
}

async function range(sdk, base, records) {
  const { Platform } = await import(pathToFileURL(sdk).href);
  const platform = new Platform(base);
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push(`${e.detail?.kind ?? e.kind}:${e.duration.toFixed(1)}`);
  }).observe({ entryTypes: ['gc'] });
  try {
    const reader = platform.createReader('f', { decodeThreads: 1 });
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10)); // the gc() entry reported before the timing
    gcs.length = 0;
    const r0 = process.resourceUsage();
    const t0 = process.hrtime.bigint();
    const out = reader.range(0, records, { format: 'columnar' });
    const count = Object.values(out)[0].length;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const r1 = process.resourceUsage();
    if (count !== records) throw new Error(`${count} records, expected ${records}`);
    const inRange = gcs.length; // GCs reported later ran inside range() too (entries are async)
    await new Promise((r) => setTimeout(r, 10));
    reader.close();
    return {
      ms,
      cpu: (r1.userCPUTime + r1.systemCPUTime - r0.userCPUTime - r0.systemCPUTime) / 1e3,
      faults: r1.minorPageFault - r0.minorPageFault,
      gcs: gcs.slice(0, Math.max(inRange, gcs.length)).join(' '),
    };
  } finally {
    platform.close();
  }
}

if (process.env.AB_CHILD !== undefined) {
  const [what, base, records] = process.argv.slice(2);
  const result = await { fill, range }[what](process.env.AB_CHILD, base, Number(records));
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} else {
  const builds = Object.entries({ A: process.env.A_SDK, B: process.env.B_SDK }).filter(([, p]) => p);
  if (builds.length === 0) throw new Error('set A_SDK (and B_SDK) to the sdk dist/index.js of the builds');
  const rounds = Number(process.argv[2] ?? 5);
  const records = Number(process.argv[3] ?? 10_000_000);
  const self = fileURLToPath(import.meta.url);
  const benchDir = resolve(dirname(self), '..');
  mkdirSync(join(benchDir, 'build'), { recursive: true });
  const floorBin = join(benchDir, 'build', 'memfloor-ab');
  execFileSync('cc', ['-O2', '-Wall', '-o', floorBin, join(benchDir, 'native', 'memfloor.c')]);
  const child = (sdk, args) => {
    const out = execFileSync(process.execPath, [...FLAGS, self, ...args], {
      env: { ...process.env, AB_CHILD: resolve(sdk) },
      encoding: 'utf8',
    });
    return JSON.parse(/^RESULT (.*)$/m.exec(out)[1]);
  };
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const rows = Object.fromEntries(builds.map(([t]) => [t, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [tag, sdk] of r % 2 === 0 ? builds : [...builds].reverse()) {
      const base = mkdtempSync(join(tmpdir(), 'ab-columnar1-'));
      try {
        const filled = child(sdk, ['fill', base, String(records)]);
        const one = child(sdk, ['range', base, String(records)]);
        const floor = JSON.parse(execFileSync(floorBin, [String(records), '3', base], { encoding: 'utf8' }));
        const floorRate = median(floor.columnar) / 1e6;
        const rate = records / one.ms / 1e3;
        rows[tag].push({ rate, floorRate, ratio: rate / floorRate, cpu: one.cpu, fillCpu: filled.cpu });
        console.log(
          `${tag} round ${r}: ${rate.toFixed(1)} M/s (${one.ms.toFixed(1)} ms wall, ${one.cpu.toFixed(1)} ms CPU, ` +
            `${one.faults} faults, gc [${one.gcs}]) floor ${floorRate.toFixed(1)} M/s -> ${(rate / floorRate).toFixed(3)}x; ` +
            `fill ${filled.ms.toFixed(0)} ms wall, ${filled.cpu.toFixed(0)} ms CPU`,
        );
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    }
  }
  for (const [tag, sdk] of builds) {
    const rs = rows[tag];
    console.log(
      `${tag}=${sdk}: median ${median(rs.map((x) => x.rate)).toFixed(1)} M/s, floor ${median(rs.map((x) => x.floorRate)).toFixed(1)} M/s, ` +
        `ratio median ${median(rs.map((x) => x.ratio)).toFixed(3)}x [${rs.map((x) => x.ratio.toFixed(2)).join(' ')}], ` +
        `range CPU median ${median(rs.map((x) => x.cpu)).toFixed(1)} ms, fill CPU median ${median(rs.map((x) => x.fillCpu)).toFixed(0)} ms`,
    );
  }
}
