// The host's own write-cost modes, without Deepwater: a ring-shaped write loop (busy stamp, a
// 24-byte record as three float64 stores, the stamp, then one Atomics.store of the published
// count per record, as RingWriter.writeOne does) on a plain SharedArrayBuffer of KB KiB (default
// 16384; 64 fits in L1/L2 and a few TLB entries). Prints the p50 ns/record of each of SLICES
// consecutive slices of the run. On the shared 2-core VM of session 9 a process sat at ~11.7 ns or
// at ~18-22 ns, for a second or more at a time, with KB=64 too: the sdk writers' "per-process"
// modes (ring and disk alike) are this, not their code or their mapping. FENCE=0 replaces the
// Atomics.store with a plain store. Usage:
//   for i in $(seq 1 8); do taskset -c 1 node bench/ab/host-modes.mjs; done
const KB = Number(process.env.KB ?? 16384);
const SLICES = Number(process.env.SLICES ?? 4);
const BLOCKS = Number(process.env.BLOCKS ?? 12000);
const FENCE = process.env.FENCE !== '0';
const sab = new SharedArrayBuffer(KB << 10);
const view = new DataView(sab);
const words = new Uint32Array(sab);
const capacity = ((KB << 10) - 512) / 32;
let published = 0;
let ts = 1;
const now = () => Number(process.hrtime.bigint());
function write(a, b, c) {
  const word = (512 + (published % capacity) * 32) >> 2;
  words[34] = published + 1; // the claim word
  words[word] = 0xfffffffe; // busy
  view.setFloat64(word * 4 + 8, a, true);
  view.setFloat64(word * 4 + 16, b, true);
  view.setFloat64(word * 4 + 24, c, true);
  words[word + 1] = 0;
  words[word] = published * 2 + 1;
  published++;
  if (FENCE) Atomics.store(words, 36, published);
  else words[36] = published;
  if (words[64] !== 0) throw new Error('waiters');
}
function block(n) {
  const t0 = now();
  for (let i = 0; i < n; i++) write(101.25, 3, ++ts);
  return now() - t0;
}
for (let i = 0; i < 2000; i++) block(256);
const per = new Float64Array(BLOCKS);
for (let b = 0; b < BLOCKS; b++) per[b] = block(256) / 256;
const out = [];
for (let k = 0; k < SLICES; k++) {
  const slice = per.slice(Math.floor((k * BLOCKS) / SLICES), Math.floor(((k + 1) * BLOCKS) / SLICES)).sort();
  out.push(slice[slice.length >> 1].toFixed(1));
}
console.log(out.join(' '));
