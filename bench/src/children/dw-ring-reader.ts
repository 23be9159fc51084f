/**
 * Ring sustained throughput, reader side: drains the ring with readAvailable() as raw bytes
 * (the cheapest format: the figure is the ring's, not a decoder's) until `drainUntil`, counting
 * records received and records lost to overrun.
 *
 *   writer ──▶ /dev/shm ring ──readAvailable(raw)──▶ reader (this process)
 */
import { childMain, monoNow, nextMessage, sendNow } from '../core/child-main.js';
import { loadSdk } from '../deepwater/sdk-contract.js';

interface Params {
  base: string;
  feedName: string;
}

childMain(async ({ base, feedName }: Params) => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  const reader = platform.createReader(feedName);
  try {
    const recordSize = reader.recordSize;
    reader.readAvailable({ maxRecords: 1, format: 'raw' }); // the first call positions at the live head
    await sendNow({ type: 'ready' });
    const { startAt, drainUntil } = await nextMessage<{ type: string; startAt: number; drainUntil: number }>(
      'go',
    );
    let received = 0;
    let firstAt = 0;
    let lastAt = 0;
    for (let now = monoNow(); now < drainUntil; now = monoNow()) {
      const bytes = reader.readAvailable({ maxRecords: 65536, format: 'raw' }) as Uint8Array;
      if (bytes.byteLength === 0) continue;
      if (received === 0) firstAt = now;
      received += bytes.byteLength / recordSize;
      lastAt = now;
    }
    const lostRecords = reader.stats?.lostRecords ?? 0;
    const span = Math.max(lastAt - Math.max(firstAt, startAt), 1);
    return { received, lostRecords, rate: ((received + lostRecords) * 1e9) / span };
  } finally {
    reader.close();
    platform.close();
  }
});
