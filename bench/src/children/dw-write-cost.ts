/**
 * Deepwater write cost per record, one process:
 *
 *   writeValues / writeTuple / writeDict / writeBatch ──▶ chunk file (disk) or /dev/shm ring
 *
 * Records are timed in blocks (hrtime around BLOCK writes) so the clock read does not dominate a
 * few-ns write; the histogram holds the per-record cost of each block, so p50 is the median
 * block's ns/record. Tuples and objects are reused across writes: the figure is the API's cost,
 * not the caller's allocation. writeBatch publishes BATCH records per call.
 */
import { childMain } from '../core/child-main.js';
import { newLatencyHistogram, summarize } from '../core/histogram.js';
import { CHUNK_SIZE_MB, QUOTE_64, TICK_24, TS_COL } from '../deepwater/schemas.js';
import { loadSdk, messageOf, type SdkWriter } from '../deepwater/sdk-contract.js';
import { PICO, perRecordSummary, writeLoop } from '../deepwater/write-loops.js';
import { BATCH, WRITE_METHODS, type WriteCostResult, type WriteMethod } from '../deepwater/write-methods.js';

interface Params {
  base: string;
  persist: boolean;
  records: number;
  sizes: Array<24 | 64>;
}

const BLOCK = 256;

childMain(async ({ base, persist, records, sizes }: Params): Promise<WriteCostResult[]> => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  const results: WriteCostResult[] = [];
  try {
    for (const size of sizes) {
      for (const method of WRITE_METHODS) {
        const feedName = `write-${size}-${method}`;
        try {
          platform.createFeed({
            feedName,
            fields: size === 24 ? TICK_24 : QUOTE_64,
            tsCol: size === 24 ? TS_COL.tick : TS_COL.quote,
            persist,
            chunkSizeMb: persist ? CHUNK_SIZE_MB : 16,
          });
          const writer = platform.createWriter(feedName);
          try {
            results.push({ size, method, ...measure(writer, method, size, records) });
          } finally {
            writer.close();
            platform.deleteFeed(feedName, { missingOk: true });
          }
        } catch (error) {
          results.push({ size, method, error: messageOf(error) });
        }
      }
    }
  } finally {
    platform.close();
  }
  return results;
});

function measure(writer: SdkWriter, method: WriteMethod, size: 24 | 64, records: number) {
  const warmup = Math.max(BATCH * 10, Math.floor(records / 10));
  const perCall = method === 'writeBatch' ? BATCH : BLOCK;
  const write = writeLoop(writer, method, size);
  write(Math.ceil(warmup / perCall), perCall);
  const histogram = newLatencyHistogram();
  let elapsed = 0;
  const blocks = Math.ceil(records / perCall);
  for (let block = 0; block < blocks; block++) {
    const nanos = write(1, perCall);
    elapsed += nanos;
    histogram.recordValue(Math.max(1, Math.round((nanos * PICO) / perCall)));
  }
  const summary = perRecordSummary(summarize(histogram), perCall);
  return { summary, ratePerSecond: (blocks * perCall * 1e9) / elapsed };
}
