/**
 * Time seek (lower bound) latency in a large feed:
 *
 *   chunk files (N records, ts = 10·i) ──range(t, t+10) at random t──▶ exactly one record
 *
 * Each call finds the first record with ts >= t (chunk search, then the in-chunk lower bound)
 * and returns it; the histogram holds the whole call's time.
 */
import { childMain, monoNow } from '../core/child-main.js';
import { newLatencyHistogram, reportHistogram } from '../core/histogram.js';
import { fillTicks } from '../deepwater/fill.js';
import { CHUNK_SIZE_MB, TICK_24, TS_COL } from '../deepwater/schemas.js';
import { loadSdk } from '../deepwater/sdk-contract.js';

interface Params {
  base: string;
  records: number;
  samples: number;
  /** Stop sampling after this long even if fewer than `samples` seeks were made (slow seeks). */
  maxSeconds: number;
}

const TS_STEP = 10;
/**
 * Seeks made before the histogram starts: the row is the steady state of a long-running process.
 * With 1,000, TurboFan was still compiling the seek path inside the measured window (its code and
 * heap-page faults were most of the ~500 left per 100 k seeks); with 30,000 the window took 1 fault.
 * (JLBH warms up ~10 k iterations for the same reason on the JVM.)
 */
const WARMUP_SEEKS = 20_000;

childMain(async ({ base, records, samples, maxSeconds }: Params) => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  try {
    platform.createFeed({
      feedName: 'seek',
      fields: TICK_24,
      tsCol: TS_COL.tick,
      persist: true,
      chunkSizeMb: CHUNK_SIZE_MB,
    });
    const writer = platform.createWriter('seek');
    const fillRate = fillTicks(writer, records, TS_STEP);
    writer.close();
    const reader = platform.createReader('seek');
    // A fixed pseudo-random sequence (LCG): every run seeks the same places.
    let state = 12345;
    const targets = Array.from({ length: samples + WARMUP_SEEKS }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return Math.floor((state / 2 ** 32) * records * TS_STEP);
    });
    const histogram = newLatencyHistogram();
    const deadline = monoNow() + maxSeconds * 1e9;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      const t0 = monoNow();
      const found = reader.range(t, t + TS_STEP) as unknown[];
      const nanos = monoNow() - t0;
      if (found.length !== 1)
        throw new Error(`range(${t}, ${t + TS_STEP}) returned ${found.length} records, expected 1`);
      if (i >= WARMUP_SEEKS) histogram.recordValue(Math.max(1, Math.round(nanos)));
      if (i >= WARMUP_SEEKS + 1000 && (i & 255) === 0 && monoNow() > deadline) break;
    }
    reader.close();
    return { fillRate, summary: reportHistogram(histogram) };
  } finally {
    platform.close();
  }
});
