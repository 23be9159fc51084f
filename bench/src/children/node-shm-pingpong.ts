/**
 * Node Atomics ping-pong between two processes over POSIX shared memory (storage-native):
 *
 *   ping process (cpu 0) ──Atomics.store──▶ [ /dev/shm/dw-bench-… ] ──Atomics.load──▶ pong process (cpu 1)
 *        ◀──────────────────────────── echo ─────────────────────────────────┘
 *
 * The same path Deepwater's readers and writers take (a mapping shared by two V8 isolates in two
 * processes), minus Deepwater. One-way = round trip / 2, one hrtime read per round trip.
 */
import { childMain, monoNow, nextMessage, sendNow } from '../core/child-main.js';
import { newLatencyHistogram, reportHistogram } from '../core/histogram.js';

interface Params {
  role: 'ping' | 'pong';
  name: string;
  iterations: number;
  warmup: number;
  maxSeconds: number;
}

interface StorageNative {
  openShm(name: string, options: { size?: number; create?: boolean }): { buffer: ArrayBuffer; close(): void };
  unlinkShm(name: string): boolean;
}

const PING = 0;
const PONG = 16; // 64 bytes on: each side writes its own cache line
/** Stored into PING when the run ends early (time cap reached). */
const STOP = -1;

const STORAGE_NATIVE = '@deepwater/storage-native';

childMain(async ({ role, name, iterations, warmup, maxSeconds }: Params) => {
  const native = (await import(STORAGE_NATIVE)) as StorageNative;
  const total = iterations + warmup;
  const mapping = native.openShm(name, { size: 4096, create: role === 'ping' });
  const shared = new Int32Array(mapping.buffer, 0, 32);
  try {
    if (role === 'pong') {
      await sendNow({ type: 'ready' });
      pong: for (let seq = 1; seq <= total; seq++) {
        for (let seen = Atomics.load(shared, PING); seen !== seq; seen = Atomics.load(shared, PING)) {
          if (seen === STOP) break pong;
        }
        Atomics.store(shared, PONG, seq);
      }
      return {};
    }
    await sendNow({ type: 'ready' });
    await nextMessage('go');
    const histogram = newLatencyHistogram();
    let t0 = monoNow();
    // The time cap counts from the end of the warm-up, so a slow warm-up cannot starve the samples.
    const maxNanos = Math.round(maxSeconds * 1e9);
    let deadline = warmup === 0 ? t0 + maxNanos : -1;
    for (let seq = 1; seq <= total; seq++) {
      Atomics.store(shared, PING, seq);
      while (Atomics.load(shared, PONG) !== seq) {
        // spin
      }
      const t1 = monoNow();
      if (seq > warmup) histogram.recordValue((t1 - t0) / 2);
      else if (seq === warmup) deadline = t1 + maxNanos;
      t0 = t1;
      if (deadline > 0 && t1 > deadline) break;
    }
    Atomics.store(shared, PING, STOP);
    return { summary: reportHistogram(histogram) };
  } finally {
    mapping.close();
    if (role === 'ping') native.unlinkShm(name);
  }
});
