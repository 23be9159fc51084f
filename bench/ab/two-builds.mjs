// A/B of two sdk builds in ONE process, interleaved (A B, B A, ...): CPU ns per record of the
// stream and write rows, ring and disk. Usage (pin it, e.g. taskset -c 1):
//   A_SDK=<before>/dist/index.js B_SDK=<after>/dist/index.js node bench/ab/two-builds.mjs [rounds=7]
// KINDS=ring,disk picks the storage kinds. A "before" build is a copy of packages/sdk/dist whose
// node_modules/@deepwater/<pkg> links point at the other build's packages (e.g. an older ring).
// CPU time, not wall time: the machine is shared, and wall time would charge other processes'
// time slices to whichever row was running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const builds = { A: process.env.A_SDK, B: process.env.B_SDK ?? '@deepwater/sdk' };
if (builds.A === undefined) throw new Error('set A_SDK to the dist/index.js of the "before" build');
const mods = { A: await import(builds.A), B: await import(builds.B) };
const kinds = (process.env.KINDS ?? 'ring,disk').split(',');
const N = 1_000_000;
const rounds = Number(process.argv[2] ?? 7);
const fields = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'ts', type: 'uint64' },
];

function cpu(fn) {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return ((d.user + d.system) * 1000) / N;
}

async function cpuAsync(fn) {
  const t = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t);
  return ((d.user + d.system) * 1000) / N;
}

async function round(tag, kind, base) {
  const p = new mods[tag].Platform(join(base, tag));
  const name = `${kind}${Math.random().toString(36).slice(2, 8)}`;
  const persist = kind === 'disk';
  // A fresh ring of 4 M slots: w1+r1 and writeValues touch fresh pages, as the bench's write rows do.
  p.createFeed({
    feedName: name,
    fields,
    tsCol: 'ts',
    persist,
    chunkSizeMb: persist ? 64 : (4 * N * 32) / 2 ** 20,
  });
  const w = p.createWriter(name);
  const r = p.createReader(name);
  const s = r.stream();
  let ts = 1;
  const out = {};
  out['idle tryNext'] = cpu(() => {
    for (let i = 0; i < N; i++) s.tryNext();
  });
  out['w1+r1'] = cpu(() => {
    for (let i = 0; i < N; i++) {
      w.writeValues(1.5, 2, ts++);
      if (s.tryNext() === undefined) throw new Error('missing record');
    }
  });
  out.writeValues = cpu(() => {
    for (let i = 0; i < N; i++) w.writeValues(1.5, 2, ts++);
  });
  out['catch-up'] = cpu(() => {
    for (let i = 0; i < N; i++) s.nextSync(); // the N records writeValues just wrote
  });
  for (let i = 0; i < N; i++) w.writeValues(1.5, 2, ts++);
  out['for-await catch-up'] = await cpuAsync(async () => {
    let n = 0;
    for await (const _record of s) if (++n === N) break;
  });
  const batch = Array.from({ length: 1000 }, () => [1.5, 2, 0]);
  out['writeBatch/rec'] = cpu(() => {
    for (let b = 0; b < N / 1000; b++) {
      for (const row of batch) row[2] = ts++;
      w.writeBatch(batch);
    }
  });
  r.close();
  w.close();
  p.deleteFeed(name);
  p.close();
  return out;
}

const base = mkdtempSync(join(tmpdir(), 'dw-ab2-'));
const results = {};
try {
  for (let i = 0; i < rounds; i++) {
    for (const kind of kinds) {
      for (const tag of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
        const out = await round(tag, kind, base);
        for (const [row, ns] of Object.entries(out)) {
          results[`${kind} ${row}`] ??= { A: [], B: [] };
          results[`${kind} ${row}`][tag].push(ns);
        }
      }
    }
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(
  `A=${builds.A}\nB=${builds.B}\nrow                        A ns     B ns   (median of ${rounds}, CPU)`,
);
for (const [row, v] of Object.entries(results)) {
  console.log(
    `${row.padEnd(24)} ${median(v.A).toFixed(1).padStart(7)} ${median(v.B).toFixed(1).padStart(8)}`,
  );
}
