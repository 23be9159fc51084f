/**
 * Cross-process latency, reader side: records arrival − intended send time per record into an
 * HdrHistogram, warm-up records (seq < warmup) excluded.
 *
 *   writer ──▶ chunk file / ring ──▶ reader (cpu 1, this process)
 *
 * Modes: 'spin' = sync stream() (spins), 'async' = for await over stream(), 'poll' =
 * readAvailable() in a busy loop (arrival stamped once per returned batch, when the app has it).
 */
import { childMain, monoNow, sendNow } from '../core/child-main.js';
import { newLatencyHistogram, recordNanos, reportHistogram } from '../core/histogram.js';
import { loadSdk } from '../deepwater/sdk-contract.js';

export type ReadMode = 'spin' | 'async' | 'poll';

interface Params {
  base: string;
  feedName: string;
  mode: ReadMode;
  total: number;
  warmup: number;
}

childMain(async ({ base, feedName, mode, total, warmup }: Params) => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  const reader = platform.createReader(feedName);
  const histogram = newLatencyHistogram();
  let received = 0;
  const last = total - 1;
  // Returns true on the last record.
  const onRecord = (record: unknown[], arrived: number): boolean => {
    received++;
    const seq = record[1] as number;
    if (seq >= warmup) recordNanos(histogram, arrived - (record[0] as number));
    return seq >= last;
  };
  try {
    if (mode === 'spin') {
      const records = reader.stream()[Symbol.iterator]();
      await sendNow({ type: 'ready' });
      for (let next = records.next(); !next.done; next = records.next()) {
        if (onRecord(next.value, monoNow())) break;
      }
      records.return?.();
    } else if (mode === 'async') {
      const stream = reader.stream();
      await sendNow({ type: 'ready' });
      for await (const record of stream) {
        if (onRecord(record, monoNow())) break;
      }
    } else {
      reader.readAvailable({ maxRecords: 1 }); // the first call positions at the live head
      await sendNow({ type: 'ready' });
      let done = false;
      while (!done) {
        const batch = reader.readAvailable({ maxRecords: 4096 }) as unknown[][];
        if (batch.length === 0) continue;
        const arrived = monoNow();
        for (const record of batch) done = onRecord(record, arrived) || done;
      }
    }
    return {
      summary: reportHistogram(histogram),
      received,
      lostRecords: reader.stats?.lostRecords ?? 0,
    };
  } finally {
    reader.close();
    platform.close();
  }
});
