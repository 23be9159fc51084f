// The dw.write.pair child (bench/dist/children/dw-write-pair.js) of two checkouts, interleaved:
// A, B, A, B ... each in a fresh process pinned to one cpu, both methods as the bench runs them
// (writeValues, then writeBatch, in one child). Prints per run the ring and disk p50 ns/record and
// the median per-block ratio ring/disk, then the medians per build.
//   node bench/ab/write-pair-builds.mjs /tmp/before /work/wt-x [pairs=5] [records=5000000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [a, b, pairs = '5', records = '5000000'] = process.argv.slice(2);
const cpu = process.env.CPU ?? '1';
const out = { A: {}, B: {} };
const run = (root) => {
  const base = mkdtempSync(join(tmpdir(), 'dw-ab-pairb-'));
  try {
    const params = JSON.stringify({
      base,
      records: Number(records),
      methods: (process.env.METHODS ?? 'writeValues,writeBatch').split(','),
    });
    const text = execFileSync(
      'taskset',
      ['-c', cpu, process.execPath, join(resolve(root), 'bench/dist/children/dw-write-pair.js')],
      {
        env: { ...process.env, DW_BENCH_PARAMS: params },
        encoding: 'utf8',
      },
    );
    return JSON.parse(text.trim().split('\n').pop()).result;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
};
for (let i = 0; i < Number(pairs); i++) {
  for (const [tag, root] of [
    ['A', a],
    ['B', b],
  ]) {
    for (const r of run(root)) {
      const line = `${tag} ${r.method.padEnd(11)} ring ${r.ring.p50.toFixed(1)} disk ${r.disk.p50.toFixed(1)} ratio ${r.ratioP50.toFixed(3)}`;
      console.log(line);
      out[tag][r.method] = [...(out[tag][r.method] ?? []), r.ratioP50];
    }
  }
}
const med = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
for (const tag of ['A', 'B'])
  for (const [m, xs] of Object.entries(out[tag]))
    console.log(`${tag} ${m} median ratio ${med(xs).toFixed(3)} (${xs.map((x) => x.toFixed(3)).join(' ')})`);
