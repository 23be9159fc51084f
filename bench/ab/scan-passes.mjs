// A/B of scan() as the bench's scan row runs it (replay.disk.scan): each run a fresh process that
// fills a 64 MiB-chunk disk feed and scans it whole three times, reading every field of every
// record: pass 1 cold (the row's rate), pass 2 warm, then gc() and pass 3 (the row's heap growth).
// Runs alternate A B A B ..., CPU time per pass (the machine is shared): the process's, and for the
// cold pass also the main thread's alone (coldMain, from /proc/self/task/<pid>/schedstat): the
// process's time counts the compiler's and the threadpool's threads too. With DEOPTS=1 each run is
// traced (--trace-deopt-verbose) and the scan's deopt sites are printed: every deopt of the
// caller's loop falls back to code that boxes each double a getter returns, which is where the heap
// growth comes from. Usage (pin it):
//   A_SDK=<before>/dist/index.js B_SDK=<after>/dist/index.js taskset -c 1 node bench/ab/scan-passes.mjs [runs=5] [records=10000000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillTicks } from './lib.mjs';

if (process.env.SCAN_PASSES_CHILD === undefined) {
  const builds = { A: process.env.A_SDK, B: process.env.B_SDK };
  if (builds.A === undefined || builds.B === undefined)
    throw new Error('set A_SDK and B_SDK (dist/index.js)');
  const runs = Number(process.argv[2] ?? 5);
  const records = process.argv[3] ?? '10000000';
  const traced = process.env.DEOPTS === '1';
  const results = { A: [], B: [] };
  for (let run = 0; run < runs; run++) {
    for (const tag of run % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const flags = [
        '--expose-gc',
        '--max-old-space-size=12288',
        ...(traced ? ['--trace-deopt-verbose'] : []),
      ];
      const out = execFileSync(process.execPath, [...flags, process.argv[1], records], {
        env: { ...process.env, SCAN_PASSES_CHILD: builds[tag] },
        encoding: 'utf8',
        maxBuffer: 1024 ** 3,
      });
      const lines = out.split('\n');
      const result = JSON.parse(lines.filter((line) => line.startsWith('{"cold"')).at(-1));
      results[tag].push(result);
      console.log(tag, JSON.stringify(result));
      if (traced) {
        // A deopt's position is on the line after its bailout; "inlined at" names the caller.
        for (let i = 0; i < lines.length; i++) {
          if (!lines[i].startsWith('[bailout (')) continue;
          const at = /deoptimize at <([^>]*)>/.exec(lines[i + 1] ?? '')?.[1] ?? '';
          if (/reader\/|disk\/|ring\/|scan-passes/.test(at) && !at.includes('disk-writer')) {
            console.log(`   deopt (${/reason: ([^)]*)/.exec(lines[i])?.[1]}) at ${at}`);
          }
        }
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const tag of ['A', 'B']) {
    const r = results[tag];
    const m = (key) => median(r.map((x) => x[key]));
    console.log(
      `${tag} medians: cold ${m('cold').toFixed(1)} M/s (main thread ${m('coldMain').toFixed(1)}), ` +
        `warm ${m('warm').toFixed(1)} M/s, ` +
        `third ${m('third').toFixed(1)} M/s, heap growth in the third ${m('heapKiB')} KiB`,
    );
  }
} else {
  const { Platform } = await import(process.env.SCAN_PASSES_CHILD);
  const records = Number(process.argv[2]);
  const base = mkdtempSync(join(tmpdir(), 'dw-scan-passes-'));
  try {
    const platform = new Platform(base);
    fillTicks(platform, 'replay', records, 64);
    const reader = platform.createReader('replay');
    const cpu = () => {
      const c = process.cpuUsage();
      return c.user + c.system;
    };
    // The main thread's CPU time in µs (the first field of schedstat is in ns).
    const mainCpu = () =>
      Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    // The bench child's loop (bench/src/children/dw-replay.ts scanAll), its end included: code
    // after the loop that first runs once the loop is optimised deoptimises it too.
    let sink = 0;
    const scanAll = () => {
      let count = 0;
      let checksum = 0;
      for (const rec of reader.scan(0, records)) {
        checksum += rec.price + rec.size + rec.timestamp_ns;
        count++;
      }
      sink = checksum;
      return count;
    };
    const check = (count) => {
      if (count !== records || Number.isNaN(sink)) throw new Error(`scan() yielded ${count}`);
    };
    globalThis.gc();
    const t0 = cpu();
    const m0 = mainCpu();
    const first = scanAll();
    const m1 = mainCpu();
    const t1 = cpu();
    const second = scanAll();
    const t2 = cpu();
    globalThis.gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const t3 = cpu();
    const third = scanAll();
    const t4 = cpu();
    const heapKiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024);
    for (const count of [first, second, third]) check(count);
    const rate = (us) => records / us; // records per µs = M rec/s
    console.log(
      JSON.stringify({
        cold: rate(t1 - t0),
        coldMain: rate(m1 - m0),
        warm: rate(t2 - t1),
        third: rate(t4 - t3),
        heapKiB,
      }),
    );
    reader.close();
    platform.close();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
