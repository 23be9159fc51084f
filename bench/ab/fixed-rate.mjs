// Fixed-rate one-way latency with the writer's own lateness split out. Usage:
//   taskset -c 1 node bench/ab/fixed-rate.mjs <disk|ring> <rate/s> <seconds> [spin|async]
// SDK=<dist/index.js> runs another build (both processes); node flags given to this process (e.g.
// --single-threaded-gc) go to the writer too. The writer runs on cpu 0 (taskset) and
// stamps each record with its intended send time and the time it actually wrote it; the reader
// (this process) reports arrival − intended (the bench rows' figure) and arrival − actual write
// (what is left once a late writer is taken out: on a loaded machine the writer's lateness
// dominates the first), plus its own page faults and context switches (getrusage).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { Platform } = await import(process.env.SDK ?? '@deepwater/sdk');
// The bench children's clock (process.hrtime(), whose array V8 mostly removes): hrtime.bigint()
// allocated a BigInt per spin, a scavenge every ~20 ms in both processes.
const now = () => {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e9 + nanos;
};
const fields = [
  { name: 'intended', type: 'uint64' },
  { name: 'seq', type: 'float64' },
  { name: 'written', type: 'float64' },
];
const quantiles = (values) => {
  const xs = values.sort((a, b) => a - b);
  const q = (f) => (xs[Math.floor(f * (xs.length - 1))] / 1000).toFixed(1);
  return `p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)} µs`;
};

if (process.argv[2] === 'writer') {
  const [, , , base, name, rate, total] = process.argv;
  const platform = new Platform(base);
  const writer = platform.createWriter(name);
  process.send('ready');
  await new Promise((resolve) => process.once('message', resolve));
  const interval = 1e9 / Number(rate);
  const lateBy = new Float64Array(Number(total));
  let next = now() + 50e6; // the reader is waiting on the live head by then
  for (let seq = 0; seq < lateBy.length; seq++) {
    const intended = Math.round(next);
    next += interval;
    let t = now();
    while (t < intended) t = now();
    lateBy[seq] = t - intended;
    writer.writeValues(intended, seq, t);
  }
  console.log(`writer lateness: ${quantiles(lateBy)}`);
  await new Promise((resolve) => process.once('message', resolve));
  writer.close();
  platform.close();
  process.exit(0);
} else {
  const [kind, rate, seconds, mode = 'async'] = process.argv.slice(2);
  const total = Number(rate) * Number(seconds);
  const warmup = Math.floor(total / 5);
  const base = mkdtempSync(join(tmpdir(), 'dw-fixed-rate-'));
  const platform = new Platform(base);
  const name = `fr${process.pid}`;
  try {
    platform.createFeed({
      feedName: name,
      fields,
      tsCol: 'intended',
      persist: kind === 'disk',
      chunkSizeMb: 64,
    });
    const script = new URL(import.meta.url).pathname;
    const child = spawn(
      'taskset',
      ['-c', '0', process.execPath, ...process.execArgv, script, 'writer', base, name, rate, String(total)],
      {
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      },
    );
    await new Promise((resolve) => child.once('message', resolve));
    const reader = platform.createReader(name);
    const stream = reader.stream();
    const sinceIntended = new Float64Array(total);
    const sinceWritten = new Float64Array(total);
    let n = 0;
    const usage0 = process.resourceUsage();
    child.send('go');
    const take = (record) => {
      const t = now();
      sinceIntended[n] = t - record[0];
      sinceWritten[n++] = t - record[2];
      return record[1] >= total - 1;
    };
    if (mode === 'spin') {
      for (const record of stream) if (take(record)) break;
    } else {
      for await (const record of stream) if (take(record)) break;
    }
    const usage = process.resourceUsage();
    child.send('finish');
    await new Promise((resolve) => child.once('exit', resolve));
    reader.close();
    console.log(`${kind} ${mode} @${rate}/s, ${n} records (first ${warmup} excluded)`);
    console.log(`  arrival − intended:      ${quantiles(sinceIntended.subarray(warmup, n))}`);
    console.log(`  arrival − actual write:  ${quantiles(sinceWritten.subarray(warmup, n))}`);
    const delta = (key) => usage[key] - usage0[key];
    console.log(
      `  reader: minor faults ${delta('minorPageFault')}, voluntary/involuntary context switches ` +
        `${delta('voluntaryContextSwitches')}/${delta('involuntaryContextSwitches')}, CPU ` +
        `${((delta('userCPUTime') + delta('systemCPUTime')) / 1000).toFixed(0)} ms`,
    );
    platform.deleteFeed(name);
  } finally {
    platform.close();
    rmSync(base, { recursive: true, force: true });
  }
}
