// The seek row's p99 (bench child dw-seek: 20,000 warm-up seeks, then 100,000 timed range(t, t + 10)
// at the same pseudo-random t, timed with the same process.hrtime() pair) on a feed built ONCE and
// reused, so A/B pairs take seconds, not a 2.4 GB fill each. Usage (after the sdk is built):
//   node bench/ab/seek-p99.mjs build <dir> [records=100000000]      (a feed 'seek', ts = 10·i, 63 MiB chunks)
//   taskset -c 1 node bench/ab/seek-p99.mjs run <dir> [records]     (one JSON line)
//   taskset -c 1 node bench/ab/seek-p99.mjs fresh <new dir> [records] (fills it first, as the bench child)
// SDK=<another build's dist/index.js> runs that build (before/after). ATTRIBUTE=1 adds a second pass
// over fresh targets bracketing each seek with getrusage (faults) and GC counts, and buckets them.
// The window's own counts: minor faults, context switches, run-queue delay (schedstat), GCs.
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { fillTicks } from './lib.mjs';

const { Platform } = await import(process.env.SDK ?? '@deepwater/sdk');
const [mode, dir, recordsArg] = process.argv.slice(2);
const records = Number(recordsArg ?? 100_000_000);
const STEP = 10;
const WARMUP = Number(process.env.WARMUP ?? 20_000);
const SAMPLES = Number(process.env.SAMPLES ?? 100_000);

if (mode === 'build') {
  const platform = new Platform(dir);
  try {
    fillTicks(platform, 'seek', records, 63, STEP);
  } finally {
    platform.close();
  }
  process.exit(0);
}
if (mode === 'fresh') {
  // As the bench child: the feed written by this process just before its seeks (pages dirty).
  const platform = new Platform(dir);
  try {
    fillTicks(platform, 'seek', records, 63, STEP);
  } finally {
    platform.close();
  }
} else if (mode !== 'run') throw new Error('usage: seek-p99.mjs build|run|fresh <dir> [records]');

const monoNow = () => {
  const [s, ns] = process.hrtime();
  return s * 1e9 + ns;
};
const perfToMono = monoNow() - performance.now() * 1e6;
/** This cpu's interrupt counts by kind (/proc/interrupts) and its steal ticks (/proc/stat). */
const cpu = Number(readFileSync('/proc/self/status', 'utf8').match(/Cpus_allowed_list:\s*(\d+)/)[1]);
const irqs = () => {
  const counts = {};
  for (const line of readFileSync('/proc/interrupts', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 3) continue;
    const n = Number(cols[1 + cpu]);
    if (!Number.isFinite(n)) continue;
    const name = /^\d+:$/.test(cols[0]) ? cols[cols.length - 1] : cols[0].replace(':', '');
    counts[name] = (counts[name] ?? 0) + n;
  }
  const stat = readFileSync('/proc/stat', 'utf8')
    .match(new RegExp(`^cpu${cpu} (.*)$`, 'm'))[1]
    .split(' ');
  counts.stealTicks = Number(stat[7]);
  return counts;
};
const schedstat = () => readFileSync('/proc/self/schedstat', 'utf8').split(' ').map(Number);
let gcs = 0;
/** GC spans [start, end] in monoNow() ns, to tell which slow seeks a collection was inside. */
const gcSpans = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcs++;
    gcSpans.push([
      e.startTime * 1e6 + perfToMono,
      (e.startTime + e.duration) * 1e6 + perfToMono,
      e.detail?.kind,
    ]);
  }
}).observe({ entryTypes: ['gc'] });

const platform = new Platform(dir);
const reader = platform.createReader('seek');
let state = 12345;
const next = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return Math.floor((state / 2 ** 32) * records * STEP);
};
const targets = Array.from({ length: SAMPLES + WARMUP }, next);
const lat = new Float64Array(SAMPLES).fill(1);
const startsAt = new Float64Array(SAMPLES).fill(1);
for (let i = 0; i < WARMUP; i++) {
  const t = targets[i];
  if (reader.range(t, t + STEP).length !== 1) throw new Error('expected one record');
}
await new Promise((r) => setTimeout(r, 10)); // deliver the warm-up's GC entries
const gcBefore = gcs;
const r0 = process.resourceUsage();
const i0 = irqs();
const s0 = schedstat();
const c0 = process.cpuUsage();
const w0 = monoNow();
for (let i = 0; i < SAMPLES; i++) {
  const t = targets[WARMUP + i];
  const a = monoNow();
  const found = reader.range(t, t + STEP);
  lat[i] = monoNow() - a;
  startsAt[i] = a;
  if (found.length !== 1) throw new Error('expected one record');
}
const wallMs = (monoNow() - w0) / 1e6;
const c = process.cpuUsage(c0);
const s1 = schedstat();
const i1 = irqs();
const r1 = process.resourceUsage();
await new Promise((r) => setTimeout(r, 10));
const sorted = Float64Array.from(lat).sort();
const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))] ?? Number.NaN;
const us = (ns) => +(ns / 1000).toFixed(2);
const out = {
  p50: us(q(sorted, 0.5)),
  p90: us(q(sorted, 0.9)),
  p99: us(q(sorted, 0.99)),
  p999: us(q(sorted, 0.999)),
  max: us(sorted[sorted.length - 1]),
  over5us: sorted.filter((x) => x > 5000).length,
  minflt: r1.minorPageFault - r0.minorPageFault,
  majflt: r1.majorPageFault - r0.majorPageFault,
  nvcsw: r1.voluntaryContextSwitches - r0.voluntaryContextSwitches,
  nivcsw: r1.involuntaryContextSwitches - r0.involuntaryContextSwitches,
  runDelayMs: +((s1[1] - s0[1]) / 1e6).toFixed(2),
  wallMs: +wallMs.toFixed(1),
  cpuMs: +((c.user + c.system) / 1000).toFixed(1),
  sysMs: +(c.system / 1000).toFixed(1),
  gcs: gcs - gcBefore,
  irqs: Object.fromEntries(
    Object.entries(i1)
      .map(([k, v]) => [k, v - i0[k]])
      .filter(([, d]) => d > 0),
  ),
  gcMs: 0,
  over5usInGc: 0,
};
const spans = gcSpans.slice(gcBefore - 0).filter(([s]) => s >= w0);
for (const [s, e] of spans) out.gcMs += (e - s) / 1e6;
out.gcMs = +out.gcMs.toFixed(2);
for (let i = 0; i < SAMPLES; i++) {
  if (lat[i] <= 5000) continue;
  const a = startsAt[i];
  const b = a + lat[i];
  if (spans.some(([s, e]) => s < b && e > a)) out.over5usInGc++;
}
if (process.env.ATTRIBUTE) {
  // Fresh targets, each seek bracketed by getrusage (outside its timed window): its page faults and
  // context switches; a GC is matched by time afterwards. Slow seeks (> 3 and > 5 µs) by cause.
  const n = SAMPLES;
  const ns = new Float64Array(n);
  const at = new Float64Array(n);
  const faults = new Uint32Array(n);
  const switches = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const t = next();
    const u0 = process.resourceUsage();
    const a = monoNow();
    reader.range(t, t + STEP);
    const b = monoNow();
    const u1 = process.resourceUsage();
    ns[i] = b - a;
    at[i] = a;
    faults[i] = u1.minorPageFault - u0.minorPageFault;
    switches[i] =
      u1.voluntaryContextSwitches -
      u0.voluntaryContextSwitches +
      u1.involuntaryContextSwitches -
      u0.involuntaryContextSwitches;
  }
  await new Promise((r) => setTimeout(r, 10));
  const spans = gcSpans.filter(([s]) => s >= at[0]);
  const causes = {};
  for (const limit of [3000, 5000]) {
    const c = { slow: 0, gc: 0, switch: 0, fault: 0, none: 0, noneP50us: 0 };
    const none = [];
    for (let i = 0; i < n; i++) {
      if (ns[i] <= limit) continue;
      c.slow++;
      const a = at[i];
      const b = a + ns[i];
      if (spans.some(([s, e]) => s < b && e > a)) c.gc++;
      else if (switches[i] > 0) c.switch++;
      else if (faults[i] > 0) c.fault++;
      else none.push(ns[i]);
    }
    c.none = none.length;
    none.sort((x, y) => x - y);
    c.noneP50us = us(q(none, 0.5));
    causes[`over${limit / 1000}us`] = c;
  }
  let totalFaults = 0;
  let faultedSeeks = 0;
  for (let i = 0; i < n; i++) {
    totalFaults += faults[i];
    if (faults[i] > 0) faultedSeeks++;
  }
  const sortedNs = Float64Array.from(ns).sort();
  out.attribution = {
    p50: us(q(sortedNs, 0.5)),
    p99: us(q(sortedNs, 0.99)),
    faults: totalFaults,
    faultedSeeks,
    gcs: spans.length,
    ...causes,
  };
}
reader.close();
platform.close();
console.log(JSON.stringify(out));
