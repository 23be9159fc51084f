// Rough costs of the addon's hot calls, for the package notes (not a test, not a benchmark
// suite: bench/ owns those). Run after `pnpm --filter @deepwater/storage-native build`:
//   node scripts/measure.mjs
//
//   parent ──Atomics.store(ping)──▶ /dev/shm mapping ──Atomics.load──▶ child
//          ◀──Atomics.load(pong)──                   ◀──Atomics.store── (echoes)
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { allocateBuffer, futexWake, nowMicros, nowNanos, openShm, unlinkShm } from '../dist/index.js';

const PING_OFFSET = 0;
const PONG_OFFSET = 64; // its own cache line, so the two sides do not false-share
const STOP = -1;

if (process.argv[2] === 'pong') {
  const mapping = openShm(process.argv[3]);
  const ping = new Int32Array(mapping.buffer, PING_OFFSET, 1);
  const pong = new Int32Array(mapping.buffer, PONG_OFFSET, 1);
  let last = 0;
  process.send?.('ready');
  for (;;) {
    const value = Atomics.load(ping, 0);
    if (value === last) continue;
    if (value === STOP) break;
    Atomics.store(pong, 0, value);
    last = value;
  }
  mapping.close();
  process.exit(0);
}

function nsPerCall(label, calls, fn) {
  for (let i = 0; i < calls / 10; i++) fn(); // warm up (JIT, first touch)
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / calls;
  console.log(`${label.padEnd(34)} ${ns.toFixed(1).padStart(8)} ns/call`);
  return ns;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function pingPong() {
  const name = `dw-measure-${process.pid}`;
  const mapping = openShm(name, { size: 4096, create: true, exclusive: true });
  const ping = new Int32Array(mapping.buffer, PING_OFFSET, 1);
  const pong = new Int32Array(mapping.buffer, PONG_OFFSET, 1);
  const child = fork(fileURLToPath(import.meta.url), ['pong', name]);
  try {
    await new Promise((resolve) => child.once('message', resolve));
    const ROUNDS_PER_BATCH = 1000;
    const BATCHES = 300;
    const oneWay = [];
    let value = 0;
    for (let batch = 0; batch < BATCHES + 30; batch++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < ROUNDS_PER_BATCH; i++) {
        value = value === 0x7fffffff ? 1 : value + 1;
        Atomics.store(ping, 0, value);
        while (Atomics.load(pong, 0) !== value);
      }
      const ns = Number(process.hrtime.bigint() - start) / (2 * ROUNDS_PER_BATCH);
      if (batch >= 30) oneWay.push(ns); // the first batches warm up the JIT in both processes
    }
    Atomics.store(ping, 0, STOP);
    oneWay.sort((a, b) => a - b);
    console.log(
      `cross-process ping-pong, one way    p50 ${percentile(oneWay, 0.5).toFixed(0)} ns, ` +
        `p90 ${percentile(oneWay, 0.9).toFixed(0)} ns, min ${oneWay[0].toFixed(0)} ns ` +
        `(${BATCHES} batches of ${ROUNDS_PER_BATCH} round trips, Atomics spin on both sides)`,
    );
  } finally {
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
    mapping.close();
    unlinkShm(name);
  }
}

/** First fill of a 240 MB output: page faults on first write against pages populated up front. */
function firstFill() {
  const BYTES = 240_000_000;
  const source = new Uint8Array(BYTES).fill(7);
  for (const [label, allocate] of [
    ['new ArrayBuffer + copy', () => new ArrayBuffer(BYTES)],
    ['allocateBuffer + copy', () => allocateBuffer(BYTES)],
  ]) {
    const runs = [];
    for (let run = 0; run < 5; run++) {
      const start = process.hrtime.bigint();
      new Uint8Array(allocate()).set(source);
      runs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    runs.sort((a, b) => a - b);
    console.log(`${label.padEnd(34)} ${runs[2].toFixed(1).padStart(8)} ms for 240 MB (median of 5)`);
  }
}

console.log(
  `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`,
);
nsPerCall('Date.now() (baseline)', 5_000_000, () => Date.now());
nsPerCall('nowMicros()', 5_000_000, () => nowMicros());
nsPerCall('nowNanos()', 5_000_000, () => nowNanos());
const word = new ArrayBuffer(4);
nsPerCall('futexWake() with no waiter', 1_000_000, () => futexWake(word, 0));
firstFill();
await pingPong();
