/**
 * Range replay over a whole feed, in every format:
 *
 *   chunk files (N × 24-byte records) ──range(0, ∞)──▶ tuple[] | object[] | columnar | raw bytes
 *
 * The count returned is checked against N, so a fast wrong answer cannot pass as a fast one.
 * Tuples and objects are visited, and a raw result has every record's timestamp read: a
 * zero-copy view returns before touching any data, and a replay the consumer never reads is not
 * a replay.
 */
import { childMain, monoNow } from '../core/child-main.js';
import { fillTicks } from '../deepwater/fill.js';
import { TICK_24, TS_COL } from '../deepwater/schemas.js';
import { type FormatName, loadSdk, messageOf } from '../deepwater/sdk-contract.js';

interface Params {
  base: string;
  records: number;
  reps: number;
  /** Default: every format. */
  formats?: FormatName[];
}

export interface ReplayResult {
  fillRate: number;
  formats: Array<{ format: FormatName; rates?: number[]; error?: string }>;
}

const FORMATS: FormatName[] = ['tuple', 'object', 'columnar', 'raw'];
/** Byte offset of timestamp_ns in TICK_24 (price f64, size f64, timestamp_ns u64). */
const TS_OFFSET = 16;
/** Keeps the raw checksum observable so the reads are not optimised away. */
export let sink = 0;

childMain(async ({ base, records, reps, formats: only }: Params): Promise<ReplayResult> => {
  const { Platform } = await loadSdk();
  const platform = new Platform(base);
  try {
    platform.createFeed({
      feedName: 'replay',
      fields: TICK_24,
      tsCol: TS_COL.tick,
      persist: true,
      chunkSizeMb: 64,
    });
    const writer = platform.createWriter('replay');
    const fillRate = fillTicks(writer, records, 1);
    writer.close();
    const reader = platform.createReader('replay');
    const formats: ReplayResult['formats'] = [];
    for (const format of only ?? FORMATS) {
      try {
        const rates: number[] = [];
        for (let rep = 0; rep < reps; rep++) {
          // Collect the bulk load's (or the previous result's) garbage first: a major GC over
          // millions of dead rows is not the cost of this replay.
          globalThis.gc?.();
          rates.push(timeOneReplay(reader, format, records));
        }
        formats.push({ format, rates });
      } catch (error) {
        formats.push({ format, error: messageOf(error) });
      }
    }
    reader.close();
    return { fillRate, formats };
  } finally {
    platform.close();
  }
});

/**
 * One timed range() over the whole feed, in its own frame: a result held in a register of the
 * long-running loop above stayed reachable through the next gc(), so the next format's large
 * allocation ran a full mark of 10 M dead tuples inside its timing (~0.8 s, measured with
 * --trace-gc). Returning only the rate lets the result die here.
 */
function timeOneReplay(
  reader: { range(start: number, end: number, options: { format: FormatName }): unknown; recordSize: number },
  format: FormatName,
  records: number,
): number {
  const t0 = monoNow();
  const result = reader.range(0, records, { format });
  const count = countRecords(result, reader.recordSize);
  const seconds = (monoNow() - t0) / 1e9;
  if (count !== records) throw new Error(`range(${format}) returned ${count} records, expected ${records}`);
  return records / seconds;
}

/** Counts records in any batch format, touching each tuple/object so lazy results pay their cost. */
function countRecords(result: unknown, recordSize: number): number {
  if (result instanceof Uint8Array) {
    const count = result.byteLength / recordSize;
    // Each record's whole uint64 timestamp, as a consumer would use it (both 32-bit halves).
    let checksum = 0;
    if (result.byteOffset % 4 === 0 && recordSize % 4 === 0) {
      // Typed-array reads: DataView over an external (mmap'd) buffer is several times slower here.
      const words = new Uint32Array(result.buffer, result.byteOffset, result.byteLength >> 2);
      const stride = recordSize >> 2;
      for (let i = TS_OFFSET >> 2; i < words.length; i += stride)
        checksum += words[i + 1] * 2 ** 32 + words[i];
    } else {
      const view = new DataView(result.buffer, result.byteOffset, result.byteLength);
      for (let offset = TS_OFFSET; offset < result.byteLength; offset += recordSize) {
        checksum += view.getUint32(offset + 4, true) * 2 ** 32 + view.getUint32(offset, true);
      }
    }
    sink = checksum;
    return count;
  }
  if (Array.isArray(result)) {
    let touched = 0;
    for (const record of result) if (record !== undefined) touched++;
    return touched;
  }
  if (result && typeof result === 'object') {
    const first = Object.values(result as Record<string, ArrayLike<unknown>>)[0];
    return first ? first.length : 0;
  }
  throw new Error(`unexpected range() result: ${typeof result}`);
}
