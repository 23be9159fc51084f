// A/B of the read and write paths, ring vs disk, in ONE process (same run, same core): what each
// call costs without a second core. Usage (after `pnpm --filter @deepwater/bench... build`):
//   taskset -c 1 node bench/ab/read-path.mjs [rounds=5]
// SDK=<path to another build's dist/index.js> runs that build instead (for before/after runs).
// Rows (CPU ns per call or per record, median over rounds; each round alternates disk and ring):
//   idle tryNext   stream().tryNext() on a feed with nothing new (a spinning reader's poll)
//   w1+r1          writeValues then tryNext of that record (the ping-pong's work minus the wire)
//   catch-up       nextSync() over 1M records already written (a reader that fell behind)
//   for-await catch-up   the same with `for await` (the loop's break closes the stream)
//   writeValues    24-byte record; writeBatch/rec (batches of 1000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { Platform } = await import(process.env.SDK ?? '@deepwater/sdk');

const rounds = Number(process.argv[2] ?? 5);
const N = 1_000_000;
const fields = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'ts', type: 'uint64' },
];

/** CPU time (user + system) per call: the machine is shared, and wall time would charge other
 * processes' time slices to whichever row was running. */
function time(fn, count) {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / count;
}

async function timeAsync(fn, count) {
  const t0 = process.cpuUsage();
  await fn();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / count;
}

async function oneRound(kind, base) {
  const p = new Platform(base);
  const name = `${kind}-${Math.random().toString(36).slice(2, 8)}`;
  const persist = kind === 'disk';
  p.createFeed({
    feedName: name,
    fields,
    tsCol: 'ts',
    persist,
    chunkSizeMb: persist ? 64 : (4 * N * 24) / 1_048_576,
  });
  const w = p.createWriter(name);
  const r = p.createReader(name);
  const s = r.stream();
  let ts = 1;
  const out = {};
  out['idle tryNext'] = time(() => {
    for (let i = 0; i < N; i++) s.tryNext();
  }, N);
  out['w1+r1'] = time(() => {
    for (let i = 0; i < N; i++) {
      w.writeValues(1.5, 2, ts++);
      if (s.tryNext() === undefined) throw new Error('missing');
    }
  }, N);
  out.writeValues = time(() => {
    for (let i = 0; i < N; i++) w.writeValues(1.5, 2, ts++);
  }, N);
  out['catch-up'] = time(() => {
    for (let i = 0; i < N; i++) s.nextSync();
  }, N);
  for (let i = 0; i < N; i++) w.writeValues(1.5, 2, ts++);
  out['for-await catch-up'] = await timeAsync(async () => {
    let n = 0;
    for await (const _record of s) if (++n === N) break;
  }, N);
  const batch = Array.from({ length: 1000 }, () => [1.5, 2, 0]);
  out['writeBatch/rec'] = time(() => {
    for (let b = 0; b < N / 1000; b++) {
      for (const row of batch) row[2] = ts++;
      w.writeBatch(batch);
    }
  }, N);
  r.close();
  w.close();
  p.deleteFeed(name);
  p.close();
  return out;
}

const base = mkdtempSync(join(tmpdir(), 'dw-ab-'));
try {
  const results = { disk: [], ring: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? ['disk', 'ring'] : ['ring', 'disk'])
      results[kind].push(await oneRound(kind, base));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`row              disk ns   ring ns   (median of ${rounds}; min-max)`);
  for (const row of Object.keys(results.disk[0])) {
    const d = results.disk.map((x) => x[row]);
    const g = results.ring.map((x) => x[row]);
    const f = (xs) =>
      `${median(xs).toFixed(1).padStart(7)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;
    console.log(`${row.padEnd(16)} ${f(d)}  ${f(g)}`);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
