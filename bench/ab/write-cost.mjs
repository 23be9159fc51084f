// Write cost per record in ONE fresh process, as the bench's write rows measure it (24-byte tick,
// writeValues timed in blocks of 256, writeBatch x1000; disk chunks 64 MiB, rings 16 MiB): p50 of
// the per-block ns/record, the wall rate, and the rate per CPU second (the machine is shared:
// cpuRateM charges this process only). Usage, A/B interleaved in fresh pinned processes:
//   for i in 1 2 3 4 5; do for s in <before>/packages/sdk/dist/index.js packages/sdk/dist/index.js; do
//     taskset -c 1 node bench/ab/write-cost.mjs $s ring writeBatch 2000000; done; done
// MB=<chunkSizeMb> overrides the chunk/ring size. TIES=1 writes every record with the same
// timestamp: each one then takes the writers' tie path of the order check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [sdkPath, kind, method, recArg] = process.argv.slice(2);
const { Platform } = await import(pathToFileURL(resolve(sdkPath)).href);
const records = Number(recArg ?? 2_000_000);
const base = mkdtempSync(join(tmpdir(), 'dw-ab-write-'));
const p = new Platform(base);
const persist = kind === 'disk';
const fields = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_ns', type: 'uint64' },
];
p.createFeed({
  feedName: 'w',
  fields,
  tsCol: 'timestamp_ns',
  persist,
  chunkSizeMb: Number(process.env.MB ?? (persist ? 64 : 16)),
});
const w = p.createWriter('w');
let ts = 1;
const STEP = process.env.TIES === '1' ? 0 : 1;
const now = () => Number(process.hrtime.bigint());
const BATCH = 1000,
  BLOCK = 256;
const rows = Array.from({ length: BATCH }, () => [101.25, 3, 0]);
function unit(perCall) {
  if (method === 'writeValues') {
    const t0 = now();
    for (let i = 0; i < perCall; i++) {
      ts += STEP;
      w.writeValues(101.25, 3, ts);
    }
    return now() - t0;
  }
  for (const row of rows) {
    ts += STEP;
    row[2] = ts;
  }
  const t0 = now();
  w.writeBatch(rows);
  return now() - t0;
}
const perCall = method === 'writeBatch' ? BATCH : BLOCK;
const warm = Math.max(BATCH * 10, Math.floor(records / 10));
for (let i = 0; i < Math.ceil(warm / perCall); i++) unit(perCall);
const blocks = Math.ceil(records / perCall);
const per = new Float64Array(blocks);
// CALIB=1: after each block, time 256 writes of the same shape on a plain 64 KiB
// SharedArrayBuffer (bench/ab/host-modes.mjs's loop: stamps, three float64 stores, one
// Atomics.store). Its per-slice p50 (in parentheses, ns/record) shows whether a slow stretch is
// Deepwater's or the machine's: on the shared VM both move together.
const cal = new Float64Array(process.env.CALIB === '1' ? blocks : 0);
const calWords = new Uint32Array(new SharedArrayBuffer(64 << 10));
const calView = new DataView(calWords.buffer);
let calSeq = 0;
function calibrate() {
  const t0 = now();
  for (let i = 0; i < 256; i++) {
    const word = (512 + (calSeq % 2032) * 32) >> 2;
    calWords[34] = calSeq + 1;
    calWords[word] = 0xfffffffe;
    calView.setFloat64(word * 4 + 8, 101.25, true);
    calView.setFloat64(word * 4 + 16, 3, true);
    calView.setFloat64(word * 4 + 24, ts + i, true);
    calWords[word + 1] = 0;
    calWords[word] = calSeq * 2 + 1;
    calSeq++;
    Atomics.store(calWords, 36, calSeq);
  }
  return (now() - t0) / 256;
}
let elapsed = 0;
const cpu0 = process.cpuUsage();
for (let b = 0; b < blocks; b++) {
  const ns = unit(perCall);
  elapsed += ns;
  per[b] = ns / perCall;
  if (cal.length > 0) cal[b] = calibrate();
}
const cpuD = process.cpuUsage(cpu0);
// SERIES=<n>: the p50 of each of n consecutive slices of the run, in time order: a mode that a
// process keeps from start to end is its own (code, placement); one that comes and goes is the
// machine's (other load, the host).
const series = [];
for (let k = 0, n = Number(process.env.SERIES ?? 0); k < n; k++) {
  const slice = per.slice(Math.floor((k * blocks) / n), Math.floor(((k + 1) * blocks) / n)).sort();
  series.push(+slice[slice.length >> 1].toFixed(1));
  if (cal.length > 0) {
    const c = cal.slice(Math.floor((k * blocks) / n), Math.floor(((k + 1) * blocks) / n)).sort();
    series.push(`(${c[c.length >> 1].toFixed(1)})`);
  }
}
per.sort();
const p50 = per[blocks >> 1];
let outl = 0,
  outn = 0;
for (const x of per)
  if (x > 3 * p50) {
    outl += x * perCall;
    outn++;
  }
const extra = {
  p90: +per[Math.floor(blocks * 0.9)].toFixed(1),
  p99: +per[Math.floor(blocks * 0.99)].toFixed(1),
  max: +per[blocks - 1].toFixed(0),
  outlierShare: +(outl / elapsed).toFixed(3),
  outn,
  cpuRateM: +((blocks * perCall) / (cpuD.user + cpuD.system)).toFixed(2),
  sysShare: +(cpuD.system / (cpuD.user + cpuD.system)).toFixed(2),
  ...(series.length > 0 ? { series: series.join(' ') } : {}),
};
// MAPS=1: where the ring / chunk mapping landed (start address mod 2 MiB, hex), to correlate
// a process's mode with its placement.
if (process.env.MAPS === '1') {
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync('/proc/self/maps', 'utf8').split('\n');
  const hit = lines.find((l) => (persist ? l.includes(base) : l.includes('/dev/shm/dw-')));
  extra.map = hit === undefined ? '?' : (Number.parseInt(hit.split('-')[0], 16) % 0x200000).toString(16);
}
console.log(
  JSON.stringify({
    kind,
    method,
    p50: +p50.toFixed(2),
    rateM: +((blocks * perCall * 1e3) / elapsed).toFixed(2),
    ...extra,
  }),
);
w.close();
p.deleteFeed('w');
p.close();
rmSync(base, { recursive: true, force: true });
