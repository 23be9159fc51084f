// Quick ring measurements (the real harness lives in bench/). Run from packages/ring:
//   node --import tsx scripts/measure.ts
// Prints: write ns per 24-byte record (claim → encode → publish, one record per publication),
// batch throughput, sustained throughput with a reader in another process, and the
// cross-process one-way latency of a ring ping-pong (spin), p50/p99.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deleteRing, RingReader, RingWriter } from '../src/index.js';

const RECORD = 24;
const role = process.argv[2] ?? 'main';
const name = (label: string) => `dw-test-measure-${label}-${process.pid}`;

function encode(view: DataView, offset: number, n: number): void {
  view.setFloat64(offset, n * 0.5, true);
  view.setFloat64(offset + 8, 1, true);
  view.setUint32(offset + 16, n >>> 0, true);
  view.setUint32(offset + 20, 0, true);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function measureWrite(): void {
  const ring = name('write');
  const w = RingWriter.open(ring, { recordSize: RECORD, capacity: 1 << 16, timestampOffset: 16 });
  const runs: number[] = [];
  let n = 0;
  for (let run = 0; run < 30; run++) {
    const count = 200_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const offset = w.claim(1);
      encode(w.view, offset, n++);
      w.publish();
    }
    runs.push(Number(process.hrtime.bigint() - t0) / count);
  }
  console.log(`ring write, 1 record per publication: median ${median(runs.slice(5)).toFixed(1)} ns/record`);
  const batchRuns: number[] = [];
  for (let run = 0; run < 30; run++) {
    const count = 256 * 1000;
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < 1000; b++) {
      w.claim(256);
      for (let i = 0; i < 256; i++) encode(w.view, w.offsetAt(i), n++);
      w.publish();
    }
    batchRuns.push(count / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  console.log(
    `ring write, 256-record batches: median ${(median(batchRuns.slice(5)) / 1e6).toFixed(1)} M rec/s`,
  );
  w.close();
  deleteRing(ring);
}

/** Runs a role of this script in a child; `ready` resolves on its first line, `result` with its last. */
function child(args: string[]): { ready: Promise<void>; result: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  proc.stdout.on('data', (chunk) => {
    out += String(chunk);
    if (out.includes('\n')) markReady();
  });
  const result = new Promise<string>((resolve) =>
    proc.on('exit', () => resolve(out.trim().split('\n').at(-1) ?? '')),
  );
  return { ready, result };
}

async function measureSustained(): Promise<void> {
  const ring = name('sustained');
  const total = 20_000_000;
  const w = RingWriter.open(ring, { recordSize: RECORD, capacity: 1 << 18 });
  const reader = child(['sustained-reader', ring, String(total)]);
  await reader.ready;
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < total; ) {
    w.claim(64);
    for (let i = 0; i < 64; i++) encode(w.view, w.offsetAt(i), n++);
    w.publish();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const result = JSON.parse(await reader.result) as { received: number; lost: number };
  console.log(
    `sustained, 64-record batches, one reader in another process: writer ${(total / seconds / 1e6).toFixed(1)} M rec/s; ` +
      `reader received ${result.received}, lost ${result.lost} of ${total}`,
  );
  w.close();
  deleteRing(ring);
}

function sustainedReader(ring: string, total: number): void {
  const r = RingReader.open(ring, { start: 0 });
  console.log('ready');
  const target = new Uint8Array(4096 * RECORD);
  let received = 0;
  while (r.position < total) {
    if (!r.waitForRecords({ strategy: 'spin', timeoutMs: 10_000 })) break;
    received += r.readInto(target);
  }
  console.log(JSON.stringify({ received, lost: r.stats.lostRecords }));
}

async function measurePingPong(): Promise<void> {
  const ping = name('ping');
  const pong = name('pong');
  const rounds = 200_000;
  const w = RingWriter.open(ping, { recordSize: RECORD, capacity: 1024 });
  RingWriter.open(pong, { recordSize: RECORD, capacity: 1024 }).close(); // create it for the echo
  const echo = child(['echo', ping, pong, String(rounds)]);
  const r = RingReader.open(pong);
  const oneWay = new Float64Array(rounds);
  const sink: number[] = [];
  await echo.ready;
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    w.write((view, offset) => encode(view, offset, i));
    while (r.readEach(() => 0, sink, 1) === 0) {}
    oneWay[i] = Number(process.hrtime.bigint() - t0) / 2;
    sink.length = 0;
  }
  await echo.result;
  const sorted = oneWay.subarray(rounds / 10).sort();
  console.log(
    `cross-process ping-pong (spin), one way: p50 ${percentile(sorted, 0.5).toFixed(0)} ns, ` +
      `p99 ${percentile(sorted, 0.99).toFixed(0)} ns (hrtime overhead included)`,
  );
  w.close();
  r.close();
  deleteRing(ping);
  deleteRing(pong);
}

function echoLoop(ping: string, pong: string, rounds: number): void {
  const r = RingReader.open(ping, { start: 0 });
  const w = RingWriter.open(pong, { recordSize: RECORD, capacity: 1024 });
  const sink: number[] = [];
  console.log('ready');
  for (let i = 0; i < rounds; i++) {
    while (r.readEach(() => 0, sink, 1) === 0) {}
    sink.length = 0;
    w.write((view, offset) => encode(view, offset, i));
  }
  w.close();
}

if (role === 'sustained-reader') sustainedReader(process.argv[3], Number(process.argv[4]));
else if (role === 'echo') echoLoop(process.argv[3], process.argv[4], Number(process.argv[5]));
else {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  measureWrite();
  await measureSustained();
  await measurePingPong();
}
