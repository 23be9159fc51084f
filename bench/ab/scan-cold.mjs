// Where a cold scan() pass goes: the caller's loop not compiled yet (V8 compiles it on the stack,
// OSR, mid-pass) or the scan's own state (fresh mappings, the sdk's code not warm yet)? Each run a
// fresh process over the same 64 MiB-chunk disk feed (10 M records, filled once, kept in a temp dir
// for the runs), with the bench's scan loop (bench/src/children/dw-replay.ts scanAll) made twice as
// two distinct functions, so one can warm what the other then finds warm. Two modes, alternated:
//   normal: the loop cold over a fresh reader (the bench row's cold pass), then warm twice, then
//           the warm loop over a second, fresh reader (the scan's mappings cold, the loop not);
//   jitcold: another function's loop over the reader three times (the mappings, next() and the
//           getters warm), then the cold loop over it (only the caller's loop cold).
// The main thread's CPU time per pass (schedstat), as M rec/s. Usage (pin it):
//   SDK=<build>/packages/sdk/dist/index.js taskset -c 1 node bench/ab/scan-cold.mjs [runs=4]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillTicks } from './lib.mjs';

const RECORDS = 10_000_000;

if (process.env.SCAN_COLD_CHILD === undefined) {
  if (process.env.SDK === undefined) throw new Error('set SDK (dist/index.js)');
  const runs = Number(process.argv[2] ?? 4);
  const base = mkdtempSync(join(tmpdir(), 'dw-scan-cold-'));
  try {
    const results = { normal: [], jitcold: [] };
    const child = (mode) =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=12288', process.argv[1]], {
          env: { ...process.env, SCAN_COLD_CHILD: mode, SCAN_COLD_BASE: base },
          encoding: 'utf8',
        }),
      );
    child('fill');
    for (let run = 0; run < runs; run++) {
      for (const mode of run % 2 === 0 ? ['normal', 'jitcold'] : ['jitcold', 'normal']) {
        const result = child(mode);
        results[mode].push(result);
        console.log(mode, JSON.stringify(result));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const m = (mode, key) => median(results[mode].map((r) => r[key])).toFixed(0);
    console.log(
      `medians (M rec/s, main thread): cold loop + fresh reader ${m('normal', 'bothCold')}, ` +
        `cold loop + warm reader ${m('jitcold', 'coldLoop')}, warm loop + fresh reader ${m('normal', 'coldReader')}, ` +
        `warm ${m('normal', 'warm')}`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
} else {
  const { Platform } = await import(process.env.SDK);
  const mode = process.env.SCAN_COLD_CHILD;
  const platform = new Platform(process.env.SCAN_COLD_BASE);
  if (mode === 'fill') {
    fillTicks(platform, 'replay', RECORDS, 64);
    platform.close();
    console.log('{}');
  } else {
    const mainCpu = () =>
      Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    // The bench's loop; new Function gives each copy its own code and feedback.
    const source = `let sink = 0;
      return (reader) => {
        let count = 0;
        let checksum = 0;
        for (const rec of reader.scan(0, ${RECORDS})) {
          checksum += rec.price + rec.size + rec.timestamp_ns;
          count++;
        }
        sink = checksum;
        return count;
      };`;
    const loopA = new Function(source)();
    const loopB = new Function(source)();
    const rate = (loop, reader) => {
      globalThis.gc();
      const m0 = mainCpu();
      const count = loop(reader);
      const m1 = mainCpu();
      if (count !== RECORDS) throw new Error(`scan() yielded ${count}`);
      return RECORDS / (m1 - m0);
    };
    const reader = platform.createReader('replay');
    const out = {};
    if (mode === 'jitcold') {
      for (let i = 0; i < 3; i++) rate(loopB, reader);
      out.coldLoop = rate(loopA, reader);
    } else {
      out.bothCold = rate(loopA, reader);
      rate(loopA, reader);
      out.warm = rate(loopA, reader);
      const fresh = platform.createReader('replay');
      out.coldReader = rate(loopA, fresh);
      fresh.close();
    }
    reader.close();
    platform.close();
    console.log(JSON.stringify(out));
  }
}
