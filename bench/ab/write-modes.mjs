// Is a write row's mode the process's or the mapping's? One fresh process writes ROUNDS rounds,
// each on a new feed (new writer, new ring or chunk mapping), and prints each round's p50 ns per
// record with where its mapping landed (start address mod 2 MiB, hex). Rounds that agree within a
// process but differ across processes point at the process (code, heap); rounds that differ within
// it point at the mapping. Usage, in many fresh pinned processes:
//   for i in $(seq 1 12); do taskset -c 1 node bench/ab/write-modes.mjs packages/sdk/dist/index.js ring writeValues; done
// ROUNDS (default 4), RECORDS per round (default 2 M).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [sdkPath, kind, method] = process.argv.slice(2);
const { Platform } = await import(pathToFileURL(resolve(sdkPath)).href);
const rounds = Number(process.env.ROUNDS ?? 4);
const records = Number(process.env.RECORDS ?? 2_000_000);
const base = mkdtempSync(join(tmpdir(), 'dw-ab-modes-'));
const p = new Platform(base);
const persist = kind === 'disk';
const fields = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_ns', type: 'uint64' },
];
const now = () => Number(process.hrtime.bigint());
const BATCH = 1000,
  BLOCK = 256;
const rows = Array.from({ length: BATCH }, () => [101.25, 3, 0]);
let ts = 1;
function unit(w, perCall) {
  if (method === 'writeValues') {
    const t0 = now();
    for (let i = 0; i < perCall; i++) w.writeValues(101.25, 3, ++ts);
    return now() - t0;
  }
  for (const row of rows) row[2] = ++ts;
  const t0 = now();
  w.writeBatch(rows);
  return now() - t0;
}
function mapOf() {
  const hit = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .find((l) => (persist ? l.includes(base) : l.includes('/dev/shm/dw-')));
  return hit === undefined ? '?' : (Number.parseInt(hit.split('-')[0], 16) % 0x200000).toString(16);
}
const out = [];
for (let r = 0; r < rounds; r++) {
  // SAME=1: every round reopens a writer on the first round's feed (same ring: same pages).
  const same = process.env.SAME === '1';
  const feedName = same ? 'w0' : `w${r}`;
  if (!same || r === 0)
    p.createFeed({ feedName, fields, tsCol: 'timestamp_ns', persist, chunkSizeMb: persist ? 64 : 16 });
  const w = p.createWriter(feedName);
  const perCall = method === 'writeBatch' ? BATCH : BLOCK;
  const warm = Math.max(BATCH * 10, Math.floor(records / 10));
  for (let i = 0; i < Math.ceil(warm / perCall); i++) unit(w, perCall);
  const blocks = Math.ceil(records / perCall);
  const per = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) per[b] = unit(w, perCall) / perCall;
  per.sort();
  out.push(`${per[blocks >> 1].toFixed(1)}@${mapOf()}`);
  w.close();
  if (!same || r === rounds - 1) p.deleteFeed(feedName);
}
console.log(`${kind} ${method} ${out.join(' ')}`);
p.close();
rmSync(base, { recursive: true, force: true });
