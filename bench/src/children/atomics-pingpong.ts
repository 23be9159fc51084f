/**
 * Node Atomics ping-pong between two threads over a SharedArrayBuffer (the JS-side limit).
 *
 *   main thread ──Atomics.store(ping)──▶ [ SharedArrayBuffer ] ──Atomics.load──▶ worker
 *        ◀─────────────────────── Atomics.store(pong) ───────────────────────┘
 *
 * One-way latency = round trip / 2, one hrtime read per round trip (as the C baseline does).
 * Threads cannot be pinned one by one with taskset, so the OS places them (2 cores → 2 threads).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { childMain, monoNow } from '../core/child-main.js';
import { newLatencyHistogram, reportHistogram } from '../core/histogram.js';

interface Params {
  iterations: number;
  warmup: number;
  maxSeconds: number;
}

// Ping and pong live 64 bytes apart so each side writes its own cache line.
const PING = 0;
const PONG = 16;
/** Stored into PING when the run ends early (time cap reached). */
const STOP = -1;

if (isMainThread) {
  childMain(async ({ iterations, warmup, maxSeconds }: Params) => {
    const shared = new Int32Array(new SharedArrayBuffer(128));
    const total = iterations + warmup;
    const worker = new Worker(new URL(import.meta.url), { workerData: { shared, total } });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const histogram = newLatencyHistogram();
    let t0 = monoNow();
    // The time cap counts from the end of the warm-up, so a slow warm-up cannot starve the samples.
    const maxNanos = Math.round(maxSeconds * 1e9);
    let deadline = warmup === 0 ? t0 + maxNanos : -1;
    for (let seq = 1; seq <= total; seq++) {
      Atomics.store(shared, PING, seq);
      while (Atomics.load(shared, PONG) !== seq) {
        // spin: the lowest-latency wait there is
      }
      const t1 = monoNow();
      if (seq > warmup) histogram.recordValue((t1 - t0) / 2);
      else if (seq === warmup) deadline = t1 + maxNanos;
      t0 = t1;
      if (deadline > 0 && t1 > deadline) break;
    }
    Atomics.store(shared, PING, STOP);
    await worker.terminate();
    return { summary: reportHistogram(histogram) };
  });
} else {
  const { shared, total } = workerData as { shared: Int32Array; total: number };
  parentPort!.postMessage('ready');
  pong: for (let seq = 1; seq <= total; seq++) {
    for (let seen = Atomics.load(shared, PING); seen !== seq; seen = Atomics.load(shared, PING)) {
      if (seen === STOP) break pong;
    }
    Atomics.store(shared, PONG, seq);
  }
}
