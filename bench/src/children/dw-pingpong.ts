/**
 * Deepwater ping-pong through the public API, timed like the baselines (round trip / 2):
 *
 *   ping (cpu 0) ──writeValues──▶ feed "<name>-ping" ──stream() spin──▶ pong (cpu 1)
 *        ◀──stream() spin── feed "<name>-pong" ◀──writeValues(echo)──────────┘
 *
 * Each side writes with `writeValues` and reads with a sync `stream()` iterator (spinning), so one
 * round trip is two writes, two publications crossing cores, and two decodes into tuples. One
 * clock read per round trip, as in the C and Node Atomics ping-pongs: this is the like-for-like
 * comparison with them. The fixed-rate one-way runs (dw-latency-*) stay the tail-honest figure.
 *
 * The ping side creates both feeds and deletes them (unlinking a ring's /dev/shm object) when the
 * harness sends `finish`, after the pong side has closed its writer.
 */
import { childMain, monoNow, nextMessage, sendNow } from '../core/child-main.js';
import { newLatencyHistogram, reportHistogram } from '../core/histogram.js';
import { CHUNK_SIZE_MB, PROBE_24, TS_COL } from '../deepwater/schemas.js';
import { loadSdk } from '../deepwater/sdk-contract.js';

interface Params {
  role: 'ping' | 'pong';
  base: string;
  name: string;
  persist: boolean;
  iterations: number;
  warmup: number;
  maxSeconds: number;
}

/** Sequence numbers run 1..iterations+warmup; a record at or above this one ends the run early. */
const STOP_SEQ = 2 ** 40;

childMain(async ({ role, base, name, persist, iterations, warmup, maxSeconds }: Params) => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  const pingFeed = `${name}-ping`;
  const pongFeed = `${name}-pong`;
  const total = iterations + warmup;
  try {
    if (role === 'pong') {
      const writer = platform.createWriter(pongFeed);
      const pings = platform.createReader(pingFeed).stream()[Symbol.iterator]();
      await sendNow({ type: 'ready' });
      for (let received = 0; received < total; received++) {
        const record = pings.next().value as number[];
        if (record[1] >= STOP_SEQ) break;
        writer.writeValues(record[0], record[1], record[2]);
      }
      pings.return?.();
      writer.close();
      return {};
    }
    for (const feedName of [pingFeed, pongFeed]) {
      platform.createFeed({
        feedName,
        fields: PROBE_24,
        tsCol: TS_COL.probe,
        persist,
        chunkSizeMb: CHUNK_SIZE_MB,
      });
    }
    const writer = platform.createWriter(pingFeed);
    await sendNow({ type: 'ready' });
    await nextMessage('go');
    // Opened before the first ping, so its live head is before the first echo.
    const pongs = platform.createReader(pongFeed).stream()[Symbol.iterator]();
    const histogram = newLatencyHistogram();
    // The time cap counts from the end of the warm-up, so a slow warm-up cannot starve the samples.
    const maxNanos = Math.round(maxSeconds * 1e9);
    let deadline = warmup === 0 ? monoNow() + maxNanos : -1;
    let t0 = monoNow();
    let seq = 1;
    for (; seq <= total; seq++) {
      writer.writeValues(seq, seq, 101.25);
      const echo = pongs.next().value as number[];
      const t1 = monoNow();
      if (echo[1] !== seq) throw new Error(`ping ${seq} answered by echo ${echo[1]}`);
      if (seq > warmup) histogram.recordValue((t1 - t0) / 2);
      else if (seq === warmup) deadline = t1 + maxNanos;
      t0 = t1;
      if (deadline > 0 && t1 > deadline) break;
    }
    if (seq < total) writer.writeValues(STOP_SEQ, STOP_SEQ, 0);
    pongs.return?.();
    await sendNow({ type: 'done' });
    await nextMessage('finish');
    writer.close();
    for (const feedName of [pingFeed, pongFeed]) platform.deleteFeed(feedName, { missingOk: true });
    return { summary: reportHistogram(histogram) };
  } finally {
    platform.close();
  }
});
