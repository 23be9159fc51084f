// A cold scan() pass against its floor: the same once-run loop reading the same three fields of
// the same 10 M records straight from typed arrays (Float64Array + Uint32Array) or a DataView over
// each mapped chunk (storage-native mapFile, read-only, the next chunk populated off-thread as the
// scan does), no sdk in between. Each measurement a fresh process over one feed (24-byte records:
// price f64, size f64, timestamp_ns u64; 63 MiB chunks, filled once into a temp dir), the modes
// interleaved; the main thread's CPU per pass (schedstat) as M rec/s, its process CPU, and the
// scavenges inside the pass (perf_hooks). Every loop sums into a Float64Array slot, as the bench's
// scanAll. Modes: scan (SDK), scan-b (the same with B_SDK, to A/B two builds), floor-typed, floor-dv;
// a scan mode also reports its second pass (warmMain).
// Usage (pin it): SDK=<build>/packages/sdk/dist/index.js NATIVE=<build>/packages/storage-native/dist/index.js \
//   taskset -c 1 node bench/ab/scan-floor.mjs [runs=3] [modes=scan,floor-typed,floor-dv]
// FRESH=1: each child fills its own feed before its pass (see there); SETTLE_MS=<ms>: it waits that
// long after the fill (whether the fill's background work slows the pass).
// NODE_FLAGS (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof) is passed to each child.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fillTicks } from './lib.mjs';

const RECORDS = 10_000_000;

if (process.env.SCAN_FLOOR_CHILD === undefined) {
  if (process.env.SDK === undefined || process.env.NATIVE === undefined)
    throw new Error('set SDK and NATIVE');
  const runs = Number(process.argv[2] ?? 3);
  const modes = (process.argv[3] ?? 'scan,floor-typed,floor-dv').split(',');
  const base = mkdtempSync(join(tmpdir(), 'dw-scan-floor-'));
  try {
    const results = Object.fromEntries(modes.map((m) => [m, []]));
    const flags = (process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = (mode) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ['--expose-gc', '--max-old-space-size=12288', ...flags, process.argv[1]],
          {
            env: { ...process.env, SCAN_FLOOR_CHILD: mode, SCAN_FLOOR_BASE: base },
            encoding: 'utf8',
            maxBuffer: 1024 ** 3,
          },
        )
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .at(-1),
      );
    child('fill');
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) {
        const result = child(mode);
        results[mode].push(result);
        console.log(mode, JSON.stringify(result));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const mode of modes) {
      const m = (key) => median(results[mode].map((r) => r[key]));
      console.log(
        `${mode} medians: wall ${m('wall').toFixed(1)} M/s, main ${m('main').toFixed(1)} M/s, process ${m('process').toFixed(1)} M/s, ` +
          `scavenges ${m('scavenges')}, main-thread faults ${m('faults')}, heap growth ${m('heapKiB')} KiB` +
          (m('warmMain') === undefined ? '' : `, warm main ${m('warmMain').toFixed(1)} M/s`),
      );
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
} else {
  const mode = process.env.SCAN_FLOOR_CHILD;
  // FRESH=1: each measuring child fills its own feed first, as the bench's replay child does (the
  // pass then follows 240 MB just written by this process).
  const fresh = process.env.FRESH === '1' && mode !== 'fill';
  const base = fresh ? mkdtempSync(join(process.env.SCAN_FLOOR_BASE, 'fresh-')) : process.env.SCAN_FLOOR_BASE;
  const { Platform } = await import(mode === 'scan-b' ? process.env.B_SDK : process.env.SDK);
  const platform = new Platform(base);
  if (mode === 'fill' || fresh) {
    fillTicks(platform, 'replay', RECORDS);
  }
  if (mode === 'fill') {
    platform.close();
    console.log('{}');
  } else {
    const { mapFile } = await import(process.env.NATIVE);
    const mainCpu = () =>
      Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    // The main thread's minor page faults (field 10 of its stat; the name in field 2 has no spaces).
    const mainFaults = () =>
      Number(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(' ')[9]);
    const cpu = () => {
      const c = process.cpuUsage();
      return c.user + c.system;
    };
    let scavenges = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.detail?.kind === 1) scavenges++;
    }).observe({ entryTypes: ['gc'] });
    const checksum = new Float64Array(1);
    // The bench's scanAll (bench/src/children/dw-replay.ts).
    const scanAll = (reader) => {
      let count = 0;
      const sum = checksum;
      for (const rec of reader.scan(0, RECORDS)) {
        sum[0] += rec.price + rec.size + rec.timestamp_ns;
        count++;
      }
      return count;
    };
    const dir = join(base, 'feeds', 'replay');
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('chunk-'))
      .sort()
      .map((f) => join(dir, f));
    // The floor: every chunk mapped, the next one populated off-thread while this one is read.
    const floor = (typed) => {
      let count = 0;
      const sum = checksum;
      const maps = files.map((f) => mapFile(f, { readOnly: true }));
      maps[0].populateReadAsync(4096).catch(() => {});
      for (let c = 0; c < maps.length; c++) {
        if (c + 1 < maps.length) maps[c + 1].populateReadAsync(4096).catch(() => {});
        const buffer = maps[c].buffer;
        const n = new Uint32Array(buffer, 64, 1)[0];
        if (typed) {
          const f64 = new Float64Array(buffer, 4096, n * 3);
          const u32 = new Uint32Array(buffer, 4096, n * 6);
          for (let r = 0; r < n; r++) {
            sum[0] += f64[r * 3] + f64[r * 3 + 1] + (u32[r * 6 + 5] * 4294967296 + u32[r * 6 + 4]);
            count++;
          }
        } else {
          const dv = new DataView(buffer, 4096, n * 24);
          for (let r = 0; r < n; r++) {
            const p = r * 24;
            sum[0] +=
              dv.getFloat64(p, true) +
              dv.getFloat64(p + 8, true) +
              (dv.getUint32(p + 20, true) * 4294967296 + dv.getUint32(p + 16, true));
            count++;
          }
        }
      }
      for (const m of maps) m.close();
      return count;
    };
    // SETTLE_MS: wait this long after the fill before the pass (background work of the fill ending).
    if (process.env.SETTLE_MS) await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS)));
    const reader = platform.createReader('replay');
    const run = () => (mode.startsWith('scan') ? scanAll(reader) : floor(mode === 'floor-typed'));
    globalThis.gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const s0 = scavenges;
    const w0 = performance.now();
    const f0 = mainFaults();
    const m0 = mainCpu();
    const p0 = cpu();
    const count = run();
    const p1 = cpu();
    const m1 = mainCpu();
    const f1 = mainFaults();
    const w1 = performance.now();
    const heapKiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024);
    await new Promise((r) => setImmediate(r)); // the observer's entries
    if (count !== RECORDS) throw new Error(`${mode}: ${count} records`);
    const out = {
      wall: RECORDS / ((w1 - w0) * 1000),
      main: RECORDS / (m1 - m0),
      process: RECORDS / (p1 - p0),
      scavenges: scavenges - s0,
      faults: f1 - f0,
      heapKiB,
    };
    if (mode.startsWith('scan')) {
      const warmF0 = mainFaults();
      const warm0 = mainCpu();
      run();
      out.warmMain = RECORDS / (mainCpu() - warm0);
      out.warmFaults = mainFaults() - warmF0;
    }
    reader.close();
    platform.close();
    if (fresh) rmSync(base, { recursive: true, force: true });
    console.log(JSON.stringify(out));
  }
}
