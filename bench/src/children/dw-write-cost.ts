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
import { childMain, monoNow } from '../core/child-main.js';
import { type LatencySummary, newLatencyHistogram, summarize } from '../core/histogram.js';
import {
  CHUNK_SIZE_MB,
  QUOTE_64,
  sampleObject,
  sampleTuple,
  TICK_24,
  TS_COL,
  tsIndexOf,
} from '../deepwater/schemas.js';
import { loadSdk, messageOf, type SdkWriter } from '../deepwater/sdk-contract.js';
import { BATCH, WRITE_METHODS, type WriteCostResult, type WriteMethod } from '../deepwater/write-methods.js';

interface Params {
  base: string;
  persist: boolean;
  records: number;
  sizes: Array<24 | 64>;
}

const BLOCK = 256;
/** Summaries are kept in picoseconds while recording, to keep sub-ns resolution of cheap writes. */
const PICO = 1000;

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
  const pico = summarize(histogram);
  const summary: LatencySummary = {
    count: pico.count * perCall,
    min: pico.min / PICO,
    mean: pico.mean / PICO,
    p50: pico.p50 / PICO,
    p90: pico.p90 / PICO,
    p99: pico.p99 / PICO,
    p999: pico.p999 / PICO,
    max: pico.max / PICO,
  };
  return { summary, ratePerSecond: (blocks * perCall * 1e9) / elapsed };
}

/**
 * Returns `(calls, perCall) => ns` that performs `calls` timed units of `perCall` records with
 * increasing timestamps and returns the ns spent inside the writes (batch rows are prepared
 * outside the timed region).
 */
function writeLoop(
  writer: SdkWriter,
  method: WriteMethod,
  size: 24 | 64,
): (calls: number, perCall: number) => number {
  let ts = 1;
  const tsIndex = tsIndexOf(size);
  const tuple = sampleTuple(size, 0);
  const object = sampleObject(size, 0);
  const tsName = size === 24 ? TS_COL.tick : TS_COL.quote;
  switch (method) {
    case 'writeValues':
      return (calls, perCall) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          const t0 = monoNow();
          if (size === 24) {
            for (let i = 0; i < perCall; i++) writer.writeValues(101.25, 3, ts++);
          } else {
            for (let i = 0; i < perCall; i++)
              writer.writeValues(ts++, 101.25, 101.5, 7, 9, 101.3, 1200, 101.28);
          }
          spent += monoNow() - t0;
        }
        return spent;
      };
    case 'writeTuple':
      return (calls, perCall) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          const t0 = monoNow();
          for (let i = 0; i < perCall; i++) {
            tuple[tsIndex] = ts++;
            writer.writeTuple(tuple);
          }
          spent += monoNow() - t0;
        }
        return spent;
      };
    case 'writeDict':
      return (calls, perCall) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          const t0 = monoNow();
          for (let i = 0; i < perCall; i++) {
            object[tsName] = ts++;
            writer.writeDict(object);
          }
          spent += monoNow() - t0;
        }
        return spent;
      };
    case 'writeBatch': {
      const rows = Array.from({ length: BATCH }, () => sampleTuple(size, 0));
      return (calls) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          for (const row of rows) row[tsIndex] = ts++;
          const t0 = monoNow();
          writer.writeBatch(rows);
          spent += monoNow() - t0;
        }
        return spent;
      };
    }
  }
}
