/**
 * Ring sustained throughput, writer side:
 *
 *   writer (cpu 0) ──writeBatch ×1000, flat out until endAt──▶ /dev/shm ring ──▶ N readers
 *
 * After the readers are done the harness sends `finish`: the writer deletes the feed (unlinking
 * the ring) and exits.
 */
import { childMain, monoNow, nextMessage, sendNow } from '../core/child-main.js';
import { CHUNK_SIZE_MB, TICK_24, TS_COL } from '../deepwater/schemas.js';
import { loadSdk } from '../deepwater/sdk-contract.js';

interface Params {
  base: string;
  feedName: string;
}

const BATCH = 1000;

childMain(async ({ base, feedName }: Params) => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  try {
    platform.createFeed({
      feedName,
      fields: TICK_24,
      tsCol: TS_COL.tick,
      persist: false,
      chunkSizeMb: CHUNK_SIZE_MB,
    });
    const writer = platform.createWriter(feedName);
    await sendNow({ type: 'ready' });
    const { startAt, endAt } = await nextMessage<{ type: string; startAt: number; endAt: number }>('go');
    const rows = Array.from({ length: BATCH }, () => [101.25, 3, 0]);
    let written = 0;
    while (monoNow() < startAt) {
      // wait for the common start, so readers are already polling
    }
    let now = monoNow();
    while (now < endAt) {
      for (let i = 0; i < BATCH; i++) rows[i][2] = written + i;
      writer.writeBatch(rows);
      written += BATCH;
      now = monoNow();
    }
    const rate = (written * 1e9) / (now - startAt);
    await sendNow({ type: 'sent', written, rate });
    await nextMessage('finish');
    writer.close();
    platform.deleteFeed(feedName, { missingOk: true });
    return { written, rate };
  } finally {
    platform.close();
  }
});
