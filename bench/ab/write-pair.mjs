// Ring against disk write cost in the SAME process and the same moments: the two writers take
// turns, block by block (a block = 256 writeValues or one writeBatch of 1000), so both see the
// same machine state. On the shared VM a process's write cost moves between a fast and a ~1.7x
// slower mode for a second or more at a time (a plain SharedArrayBuffer loop does it too), so
// separate processes compare modes, not writers. Prints each kind's p50 ns/record and the p50 of
// the per-pair ratio ring/disk. Each kind has its own loop function (its own type feedback).
//   for i in 1 2 3 4 5; do taskset -c 1 node bench/ab/write-pair.mjs packages/sdk/dist/index.js writeValues; done
// RECORDS per kind (default 2 M).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [sdkPath, method] = process.argv.slice(2);
const { Platform } = await import(pathToFileURL(resolve(sdkPath)).href);
const records = Number(process.env.RECORDS ?? 2_000_000);
const base = mkdtempSync(join(tmpdir(), 'dw-ab-pair-'));
const p = new Platform(base);
const fields = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_ns', type: 'uint64' },
];
for (const persist of [false, true])
  p.createFeed({
    feedName: persist ? 'd' : 'r',
    fields,
    tsCol: 'timestamp_ns',
    persist,
    chunkSizeMb: persist ? 64 : 16,
  });
const ring = p.createWriter('r');
const disk = p.createWriter('d');
const now = () => Number(process.hrtime.bigint());
const BATCH = 1000,
  BLOCK = 256;
const ringRows = Array.from({ length: BATCH }, () => [101.25, 3, 0]);
const diskRows = Array.from({ length: BATCH }, () => [101.25, 3, 0]);
let ringTs = 1,
  diskTs = 1;
function ringUnit() {
  if (method === 'writeValues') {
    const t0 = now();
    for (let i = 0; i < BLOCK; i++) ring.writeValues(101.25, 3, ++ringTs);
    return now() - t0;
  }
  for (const row of ringRows) row[2] = ++ringTs;
  const t0 = now();
  ring.writeBatch(ringRows);
  return now() - t0;
}
function diskUnit() {
  if (method === 'writeValues') {
    const t0 = now();
    for (let i = 0; i < BLOCK; i++) disk.writeValues(101.25, 3, ++diskTs);
    return now() - t0;
  }
  for (const row of diskRows) row[2] = ++diskTs;
  const t0 = now();
  disk.writeBatch(diskRows);
  return now() - t0;
}
const perCall = method === 'writeBatch' ? BATCH : BLOCK;
const warm = Math.ceil(Math.max(BATCH * 10, records / 10) / perCall);
for (let i = 0; i < warm; i++) {
  ringUnit();
  diskUnit();
}
const blocks = Math.ceil(records / perCall);
const r = new Float64Array(blocks);
const d = new Float64Array(blocks);
const ratio = new Float64Array(blocks);
for (let b = 0; b < blocks; b++) {
  // Alternate which goes first: neither always runs right after the other's stores.
  if (b & 1) {
    d[b] = diskUnit() / perCall;
    r[b] = ringUnit() / perCall;
  } else {
    r[b] = ringUnit() / perCall;
    d[b] = diskUnit() / perCall;
  }
  ratio[b] = r[b] / d[b];
}
const p50 = (a) => a.sort()[a.length >> 1];
console.log(
  JSON.stringify({
    method,
    ring: +p50(r).toFixed(2),
    disk: +p50(d).toFixed(2),
    ratio: +p50(ratio).toFixed(3),
  }),
);
ring.close();
disk.close();
p.deleteFeed('r');
p.deleteFeed('d');
p.close();
rmSync(base, { recursive: true, force: true });
