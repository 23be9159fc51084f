// range() as object / tuple beside V8 building the same objects / arrays, each measurement in a fresh
// process with the replay bench's heap flags, interleaved (A B A B ...). Usage (sdk built):
//   node bench/ab/replay-object.mjs [records=5000000] [rounds=3] [kinds=object,floor-object]
// SDK=<path to another build's dist/index.js> runs that build instead; a kind `before:object` uses
// the SDK_BEFORE build for that kind (before/after in the same run). Each line gives the wall rate
// and the CPU rate (records per second of the process's user + system CPU over the timed region,
// GC threads included): run it under taskset -c 1, where the CPU rate is the steadier figure on a
// shared host. CHUNK_MB sets the feed's chunkSizeMb (default 63, as the bench), and a kind ending in
// @<MiB> (e.g. object@64) sets it for that kind alone; NODE_FLAGS adds flags to every child (e.g.
// --trace-gc: a child's stdout lines before its result, V8's traces, go to stderr). VERBOSE=1
// prints each measurement: user and system CPU, minor page faults, and the GCs inside the timed
// region (count and summed pause, major and minor, from perf_hooks). A kind `warm:object` runs
// three 200 000-record replays before the timed one (a process that has replayed before).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fillTicks } from './lib.mjs';

const FLAGS = ['--max-old-space-size=12288', '--expose-gc', '--initial-heap-size=4096'];

if (process.argv[2] === '--child') {
  const [, , , kindText, recordsText, sdk] = process.argv;
  const [kind, chunkText] = kindText.split('@');
  const records = Number(recordsText);
  const { Platform } = await import(sdk);
  const dir = mkdtempSync(join(tmpdir(), 'dw-replay-ab-'));
  const platform = new Platform(dir);
  try {
    fillTicks(platform, 'r', records, Number(chunkText ?? process.env.CHUNK_MB ?? 63));
    const reader = platform.createReader('r');
    // A kind `warm:<format>` first runs three small replays whose results die young, as a
    // long-lived process would have, so the decoder is optimised before the timed one.
    if (kind.includes('warm:')) {
      const format = kind.replace('before:', '').replace('warm:', '');
      for (let i = 0; i < 3; i++) reader.range(0, Math.min(200_000, records), { format });
    }
    globalThis.gc();
    // GCs inside the timed region: entries are delivered asynchronously, so they are collected
    // with their start time and filtered against the region once it is over.
    const gcs = [];
    const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
    let region0;
    let region1;
    let rate;
    let cpu0;
    let cpu;
    let faults0;
    let faults;
    if (kind.startsWith('floor')) {
      const fields = new Float64Array(records * 3);
      for (let i = 0; i < records; i++) {
        fields[3 * i] = 101.25;
        fields[3 * i + 1] = 3;
        fields[3 * i + 2] = i;
      }
      globalThis.gc();
      region0 = performance.now();
      cpu0 = process.cpuUsage();
      faults0 = process.resourceUsage().minorPageFault;
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
      cpu = process.cpuUsage(cpu0);
      region1 = performance.now();
      faults = process.resourceUsage().minorPageFault - faults0;
      if (n !== records) throw new Error('count');
    } else {
      const format = kind.replace('before:', '').replace('warm:', '');
      region0 = performance.now();
      cpu0 = process.cpuUsage();
      faults0 = process.resourceUsage().minorPageFault;
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
      cpu = process.cpuUsage(cpu0);
      region1 = performance.now();
      faults = process.resourceUsage().minorPageFault - faults0;
      if (n !== records) throw new Error('count');
    }
    reader.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    const inRegion = gcs.filter((e) => e.startTime >= region0 && e.startTime < region1);
    const major = inRegion.filter((e) => e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    const minor = inRegion.filter((e) => e.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR);
    const sum = (list) => list.reduce((total, e) => total + e.duration, 0);
    const gc = { major: major.length, majorMs: sum(major), minor: minor.length, minorMs: sum(minor) };
    const cpuRate = records / ((cpu.user + cpu.system) / 1e6);
    console.log(
      JSON.stringify({ rate, cpuRate, userMs: cpu.user / 1000, sysMs: cpu.system / 1000, faults, gc }),
    );
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
  const cpuRates = Object.fromEntries(kinds.map((k) => [k, []]));
  const extra = process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ').filter(Boolean) : [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      const sdk = kind.startsWith('before:') ? before : after;
      const out = execFileSync(
        process.execPath,
        [...FLAGS, ...extra, import.meta.filename, '--child', kind, records, sdk],
        { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30 },
      );
      // The result is the child's last line (a trace flag may print before it).
      const lines = out.toString().trim().split('\n');
      const result = JSON.parse(lines.pop());
      if (lines.length > 0) console.error(lines.join('\n')); // V8's traces go to stdout
      rates[kind].push(result.rate / 1e6);
      if (process.env.VERBOSE) {
        const { rate, userMs, sysMs, faults, gc } = result;
        console.log(
          `${kind}: ${(rate / 1e6).toFixed(2)} M/s, user ${userMs.toFixed(0)} ms, sys ${sysMs.toFixed(0)} ms, ` +
            `${faults} minor faults, GC major ${gc.major} (${gc.majorMs.toFixed(0)} ms) minor ${gc.minor} (${gc.minorMs.toFixed(0)} ms)`,
        );
      }
      cpuRates[kind].push(result.cpuRate / 1e6);
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  for (const kind of kinds) {
    console.log(
      `${kind.padEnd(16)} wall median ${median(rates[kind]).toFixed(2)} M/s (${rates[kind].map((r) => r.toFixed(2)).join(' ')})  cpu median ${median(cpuRates[kind]).toFixed(2)} M/s (${cpuRates[kind].map((r) => r.toFixed(2)).join(' ')})`,
    );
  }
}
