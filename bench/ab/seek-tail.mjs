// Where a time seek's tail goes: random range(t, t + 10) in one large disk feed, per-seek wall time
// and, in a second pass over other targets, the minor page faults each seek took. Usage (after the
// sdk is built):   taskset -c 1 node --expose-gc bench/ab/seek-tail.mjs [records=30000000] [seeks=100000]
// SDK=<path to another build's dist/index.js> runs that build instead (before/after). WARMUP=<seeks>
// (default 1000, as the bench row) untimed seeks first: with 30000 the JIT has settled and the timed
// loop of the sdk takes no page fault at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillTicks } from './lib.mjs';

const { Platform } = await import(process.env.SDK ?? '@deepwater/sdk');
const records = Number(process.argv[2] ?? 30_000_000);
const seeks = Number(process.argv[3] ?? 100_000);
const STEP = 10;
const dir = mkdtempSync(join(tmpdir(), 'dw-seek-tail-'));
const platform = new Platform(dir);
try {
  fillTicks(platform, 'seek', records, 64, STEP);
  const reader = platform.createReader('seek');
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Math.floor((state / 2 ** 32) * records * STEP);
  };
  const now = process.hrtime.bigint;
  const t0 = now();
  const warmup = Number(process.env.WARMUP ?? 1000);
  for (let i = 0; i < warmup; i++) {
    const t = next();
    reader.range(t, t + STEP);
  }
  const warm = Number(now() - t0) / warmup;
  // Written once first: its pages' first touch would otherwise count as the seeks' faults (~1 per 512).
  const lat = new Float64Array(seeks).fill(1);
  const timedFaults0 = process.resourceUsage().minorPageFault;
  for (let i = 0; i < seeks; i++) {
    const t = next();
    const a = now();
    const found = reader.range(t, t + STEP);
    lat[i] = Number(now() - a);
    if (found.length !== 1) throw new Error('expected one record');
  }
  const timedFaults = process.resourceUsage().minorPageFault - timedFaults0;
  // Attribution pass over fresh targets: page faults and heap shrinkage (a GC) per seek, read
  // outside each timed window (resourceUsage and memoryUsage are syscalls / heap walks).
  const buckets = { clean: [], faulted: [], gc: [] };
  let faults = 0;
  for (let i = 0; i < seeks; i++) {
    const t = next();
    // The fault counts bracket the seek alone: memoryUsage() takes faults of its own.
    const h0 = process.memoryUsage().heapUsed;
    const f0 = process.resourceUsage().minorPageFault;
    const a = now();
    reader.range(t, t + STEP);
    const ns = Number(now() - a);
    const df = process.resourceUsage().minorPageFault - f0;
    const h1 = process.memoryUsage().heapUsed;
    faults += df;
    (h1 < h0 ? buckets.gc : df > 0 ? buckets.faulted : buckets.clean).push(ns);
  }
  lat.sort();
  for (const b of Object.values(buckets)) b.sort((x, y) => x - y);
  const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))] ?? NaN;
  console.log(
    JSON.stringify({
      records,
      warmupMeanUs: +(warm / 1000).toFixed(2),
      p50us: +(q(lat, 0.5) / 1000).toFixed(2),
      p90us: +(q(lat, 0.9) / 1000).toFixed(2),
      p99us: +(q(lat, 0.99) / 1000).toFixed(2),
      p999us: +(q(lat, 0.999) / 1000).toFixed(2),
      timedFaults,
      faults,
      ...Object.fromEntries(
        Object.entries(buckets).map(([k, b]) => [
          k,
          { n: b.length, p50us: +(q(b, 0.5) / 1000).toFixed(2), p99us: +(q(b, 0.99) / 1000).toFixed(2) },
        ]),
      ),
    }),
  );
  reader.close();
} finally {
  platform.close();
  rmSync(dir, { recursive: true, force: true });
}
