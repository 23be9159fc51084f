// The dw.write.pair child (bench/dist/children/dw-write-pair.js) of any number of checkouts, round
// robin: each round runs every checkout once, each run a fresh process pinned to one cpu, one method
// (METHODS, default writeBatch). For comparing several scratch variants of a dist at once against
// a baseline in the same moments of the host; prints per run and then the median per checkout of the
// per-block ratio ring/disk and of the ring and disk p50 ns/record.
//   node bench/ab/write-pair-multi.mjs [rounds=4] [records=3000000] /tmp/before /tmp/variant-a ...
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const [rounds = '4', records = '3000000', ...roots] = process.argv.slice(2);
const cpu = process.env.CPU ?? '1';
const methods = (process.env.METHODS ?? 'writeBatch').split(',');
const out = new Map();
const run = (root) => {
  const base = mkdtempSync(join(tmpdir(), 'dw-ab-pairm-'));
  try {
    const params = JSON.stringify({ base, records: Number(records), methods });
    const text = execFileSync(
      'taskset',
      ['-c', cpu, process.execPath, join(resolve(root), 'bench/dist/children/dw-write-pair.js')],
      { env: { ...process.env, DW_BENCH_PARAMS: params }, encoding: 'utf8' },
    );
    return JSON.parse(text.trim().split('\n').pop()).result;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
};
for (let i = 0; i < Number(rounds); i++) {
  for (const root of roots) {
    for (const r of run(root)) {
      const key = `${basename(root)} ${r.method}`;
      if (!out.has(key)) out.set(key, []);
      out.get(key).push([r.ratioP50, r.ring.p50, r.disk.p50]);
      console.log(
        `${key.padEnd(28)} ring ${r.ring.p50.toFixed(1)} disk ${r.disk.p50.toFixed(1)} ratio ${r.ratioP50.toFixed(3)}`,
      );
    }
  }
}
const med = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
for (const [key, runs] of out) {
  const ratios = runs.map((x) => x[0]);
  console.log(
    `${key.padEnd(28)} median ratio ${med(ratios).toFixed(3)} ring ${med(runs.map((x) => x[1])).toFixed(1)} ` +
      `disk ${med(runs.map((x) => x[2])).toFixed(1)} (${ratios.map((x) => x.toFixed(3)).join(' ')})`,
  );
}
