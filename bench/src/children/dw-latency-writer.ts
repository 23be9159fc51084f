/**
 * Cross-process latency, writer side (JLBH / LoadTestRig style):
 *
 *   writer (cpu 0) ──writeValues(sent_ns=intended, seq, price)──▶ chunk file / ring ──▶ reader (cpu 1)
 *
 * Sends at a fixed rate; each record carries its intended send time, so when the writer runs
 * late, the reader still charges the lateness to the latency (no coordinated omission).
 * After the reader is done the harness sends `finish`: then the writer closes and deletes the
 * feed (which unlinks a ring's /dev/shm object).
 */
import { childMain, monoNow, nextMessage, sendNow } from '../core/child-main.js';
import { CHUNK_SIZE_MB, PROBE_24, TS_COL } from '../deepwater/schemas.js';
import { loadSdk } from '../deepwater/sdk-contract.js';

interface Params {
  base: string;
  feedName: string;
  persist: boolean;
  rate: number;
  total: number;
}

childMain(async ({ base, feedName, persist, rate, total }: Params) => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  try {
    platform.createFeed({
      feedName,
      fields: PROBE_24,
      tsCol: TS_COL.probe,
      persist,
      chunkSizeMb: CHUNK_SIZE_MB,
    });
    const writer = platform.createWriter(feedName);
    await sendNow({ type: 'ready' });
    await nextMessage('go');
    const interval = 1e9 / rate;
    // Leave the reader time to be spinning on the live head before the first record.
    const start = monoNow() + 50_000_000;
    let late = 0;
    // Intended times accumulate in a double that starts above 2^31: `seq * interval` overflowed
    // int32 at seq 214 748 (2.1 s into a 100 K/s run, inside the measured window), and the
    // deoptimisation and recompilation of this loop on the pinned core showed up as latency.
    let next = start;
    for (let seq = 0; seq < total; seq++) {
      const intended = Math.round(next);
      next += interval;
      let now = monoNow();
      if (now > intended + 1_000) late++;
      while (now < intended) now = monoNow();
      writer.writeValues(intended, seq, 101.25);
    }
    const elapsedSeconds = (monoNow() - start) / 1e9;
    await sendNow({ type: 'sent', late, achievedRate: total / elapsedSeconds });
    await nextMessage('finish');
    writer.close();
    platform.deleteFeed(feedName, { missingOk: true });
    return { late };
  } finally {
    platform.close();
  }
});
