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
import { readFileSync } from 'node:fs';
import { childMain, monoNow } from '../core/child-main.js';
import { fillTicks } from '../deepwater/fill.js';
import { CHUNK_SIZE_MB, TICK_24, TS_COL } from '../deepwater/schemas.js';
import {
  type FormatName,
  loadSdk,
  messageOf,
  type SdkPlatform,
  type SdkReader,
} from '../deepwater/sdk-contract.js';

/**
 * What a replay child measures besides range() in each format:
 * - 'columnar-1thread': range() as columnar from a reader with decodeThreads: 1;
 * - 'scan': reader.scan() reading every field of every record (no result is built);
 * - 'floor-tuple' / 'floor-object': no Deepwater, V8 alone building the same N arrays / objects
 *   from a Float64Array of the records' fields, in the same kind of process: the floor the tuple
 *   and object rows are judged against.
 */
export type ReplayKind = FormatName | 'columnar-1thread' | 'scan' | 'floor-tuple' | 'floor-object';

interface Params {
  base: string;
  records: number;
  reps: number;
  /** Default: every range() format. */
  formats?: ReplayKind[];
}

export interface ReplayResult {
  fillRate: number;
  formats: Array<{
    format: ReplayKind;
    rates?: number[];
    heapGrowthBytes?: number[];
    /** scan only: the heap growth over the cold, timed pass, and the rate of the second pass. */
    coldHeapGrowthBytes?: number[];
    warmRates?: number[];
    /** scan only: whether the heap-judged pass stayed in TurboFan code (undefined: not forced). */
    heapPassOptimised?: Array<boolean | undefined>;
    /** scan only: the cold pass's rate over the main thread's CPU time (Linux). */
    coldMainRates?: number[];
    error?: string;
  }>;
}

const FORMATS: FormatName[] = ['tuple', 'object', 'columnar', 'raw'];
/** Byte offset of timestamp_ns in TICK_24 (price f64, size f64, timestamp_ns u64). */
const TS_OFFSET = 16;
/** Keeps the raw checksum observable so the reads are not optimised away. */
export let sink = 0;

childMain(async ({ base, records, reps, formats: only }: Params): Promise<ReplayResult> => {
  // The contract's Platform, with the reader options and scan() this child also drives.
  const { Platform } = (await loadSdk()) as unknown as { Platform: new (base: string) => ReplayPlatform };
  const platform = new Platform(base);
  try {
    platform.createFeed({
      feedName: 'replay',
      fields: TICK_24,
      tsCol: TS_COL.tick,
      persist: true,
      chunkSizeMb: CHUNK_SIZE_MB,
    });
    const writer = platform.createWriter('replay');
    const fillRate = fillTicks(writer, records, 1);
    writer.close();
    const reader = platform.createReader('replay');
    const oneThread = platform.createReader('replay', { decodeThreads: 1 });
    const formats: ReplayResult['formats'] = [];
    for (const format of only ?? FORMATS) {
      try {
        const rates: number[] = [];
        const heapGrowthBytes: number[] = [];
        const coldHeapGrowthBytes: number[] = [];
        const warmRates: number[] = [];
        const heapPassOptimised: Array<boolean | undefined> = [];
        const coldMainRates: number[] = [];
        for (let rep = 0; rep < reps; rep++) {
          // Collect the bulk load's (or the previous result's) garbage first: a major GC over
          // millions of dead rows is not the cost of this replay.
          globalThis.gc?.();
          if (format === 'scan') {
            const scan = timeOneScan(reader, records);
            rates.push(scan.rate);
            heapGrowthBytes.push(scan.heapGrowth);
            coldHeapGrowthBytes.push(scan.coldHeapGrowth);
            warmRates.push(scan.warmRate);
            heapPassOptimised.push(scan.heapPassOptimised);
            if (scan.coldMainRate !== undefined) coldMainRates.push(scan.coldMainRate);
          } else if (format === 'floor-tuple' || format === 'floor-object') {
            rates.push(timeV8Floor(format, records));
          } else if (format === 'columnar-1thread') {
            rates.push(timeOneReplay(oneThread, 'columnar', records));
          } else {
            rates.push(timeOneReplay(reader, format, records));
          }
        }
        formats.push(
          format === 'scan'
            ? {
                format,
                rates,
                heapGrowthBytes,
                coldHeapGrowthBytes,
                warmRates,
                heapPassOptimised,
                coldMainRates,
              }
            : { format, rates },
        );
      } catch (error) {
        formats.push({ format, error: messageOf(error) });
      }
    }
    oneThread.close();
    reader.close();
    return { fillRate, formats };
  } finally {
    platform.close();
  }
});

interface ScanRecord {
  readonly price: number;
  readonly size: number;
  readonly timestamp_ns: number;
}

type ScanReader = Omit<SdkReader, 'scan'> & { scan(start: number, end: number): Iterable<ScanRecord> };

interface ReplayPlatform extends Omit<SdkPlatform, 'createReader'> {
  createReader(name: string, options?: { decodeThreads?: number }): ScanReader;
}

/**
 * One timed scan() over the whole feed reading every field of every record: the rate, cold, as
 * every other row is measured and as a user's loop run once over the feed, and that pass's heap
 * growth; then the second pass's rate; then the heap growth over a third pass, which the target
 * judges, with the caller's loop optimised (see optimisedCaller).
 * Where a cold pass goes (Node 20/22/24, --trace-osr, --trace-opt, --trace-deopt, issue #20): the
 * caller's loop starts in the interpreter, which holds every double a getter returns in a 16-byte
 * heap number, until V8 compiles the loop on the stack (OSR) a few ms in; the cold pass's growth
 * (0.8-3.7 MiB here) is those, the caller's loop, not the scan. OSR code would keep a local float
 * accumulator boxed as well (~160 MB over 10 M records), which is why scanAll() sums into a slot.
 * The third pass used to be just another call: V8 compiles scanAll() whole when the first pass
 * leaves its OSR code, before the second call has run the `reader.scan` load at its entry (the
 * first call ran it before scanAll had a feedback vector), so the third call deoptimised there
 * ("Insufficient type feedback for generic named access", bytecode offset 7: 5 of 5 traced
 * children) and ran in the interpreter until OSR again: 2.7-7.6 MiB of the caller's heap numbers.
 */
function timeOneScan(
  reader: ScanReader,
  records: number,
): {
  rate: number;
  coldMainRate: number | undefined;
  heapGrowth: number;
  coldHeapGrowth: number;
  warmRate: number;
  heapPassOptimised: boolean | undefined;
} {
  const heapCold = process.memoryUsage().heapUsed; // after the caller's gc()
  const m0 = mainThreadCpuNs();
  const t0 = monoNow();
  const first = scanAll(reader, records);
  const seconds = (monoNow() - t0) / 1e9;
  const mainSeconds = (mainThreadCpuNs() - m0) / 1e9;
  const coldHeapGrowth = process.memoryUsage().heapUsed - heapCold;
  const t1 = monoNow();
  const warm = scanAll(reader, records);
  const warmSeconds = (monoNow() - t1) / 1e9;
  const optimised = optimisedCaller(reader);
  globalThis.gc?.(); // earlier passes' garbage is not this one's growth
  const heapBefore = process.memoryUsage().heapUsed;
  const second = scanAll(reader, records);
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  for (const count of [first, warm, second]) {
    if (count !== records) throw new Error(`scan() yielded ${count} records, expected ${records}`);
  }
  return {
    rate: records / seconds,
    coldMainRate: Number.isNaN(mainSeconds) ? undefined : records / mainSeconds,
    heapGrowth,
    coldHeapGrowth,
    warmRate: records / warmSeconds,
    heapPassOptimised: optimised?.(),
  };
}

/**
 * This thread's CPU time in ns (Linux schedstat; NaN elsewhere): the cold pass's rate over it
 * leaves out the populate and compiler threads and time the host gave other processes.
 */
function mainThreadCpuNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/** V8's %-functions, when this child runs with --allow-natives-syntax (the scan row's child does). */
const natives = (() => {
  try {
    return {
      optimiseOnNextCall: new Function('f', '%OptimizeFunctionOnNextCall(f)') as (f: unknown) => void,
      status: new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number,
    };
  } catch {
    return undefined; // a SyntaxError without the flag
  }
})();
/** %GetOptimizationStatus's bit for TurboFan code (V8 11.3 to 13.6: Node 20, 22, 24). */
const TURBOFANNED = 1 << 6;

/**
 * Makes the next scanAll() call run in TurboFan code compiled with feedback for every site: two
 * short scans record it (the load at the entry, the loop, the store after it), then V8 is told to
 * optimise the function on its next call, as a long-running process's hot loop is. The judged pass
 * then measures what scan() allocates per record, not the caller's loop's interpreter phase (see
 * timeOneScan); a per-step allocation that escapes still shows, a scan that allocates nothing grows
 * the heap by its few per-scan objects. Returns whether scanAll is still TurboFan code (false: the
 * judged pass deoptimised, and its growth is the caller's again), or undefined without the flag.
 */
function optimisedCaller(reader: ScanReader): (() => boolean) | undefined {
  if (natives === undefined) return undefined;
  for (let i = 0; i < 2; i++) scanAll(reader, 10_000);
  natives.optimiseOnNextCall(scanAll);
  return () => (natives.status(scanAll) & TURBOFANNED) !== 0;
}

/**
 * Every field of every record summed into a Float64Array slot, not a local: in OSR code V8 keeps a
 * local float accumulator boxed, one heap number per record (see timeOneScan), which is the
 * caller's loop allocating, not the scan. The row judges what scan() allocates and how fast it
 * hands over the fields; the sdk README ("A loop run once") tells users the same.
 */
const scanChecksum = new Float64Array(1);

function scanAll(reader: ScanReader, records: number): number {
  let count = 0;
  const checksum = scanChecksum;
  for (const rec of reader.scan(0, records)) {
    checksum[0] += rec.price + rec.size + rec.timestamp_ns;
    count++;
  }
  sink = checksum[0];
  return count;
}

/**
 * V8's own floor for a tuple or object replay: the same N records' fields in a Float64Array
 * (filled outside the timing), built into N fresh three-element arrays or N objects with the
 * record's keys, and visited as the replay rows visit their results.
 */
function timeV8Floor(kind: 'floor-tuple' | 'floor-object', records: number): number {
  const fields = new Float64Array(records * 3);
  for (let i = 0; i < records; i++) {
    fields[3 * i] = 101.25;
    fields[3 * i + 1] = 3;
    fields[3 * i + 2] = i;
  }
  globalThis.gc?.();
  const t0 = monoNow();
  // Sized up front and filled by index, as range() builds its result.
  const out: unknown[] = new Array(records);
  if (kind === 'floor-tuple') {
    for (let i = 0, j = 0; i < records; i++, j += 3) out[i] = [fields[j], fields[j + 1], fields[j + 2]];
  } else {
    for (let i = 0, j = 0; i < records; i++, j += 3) {
      out[i] = { price: fields[j], size: fields[j + 1], timestamp_ns: fields[j + 2] };
    }
  }
  const count = countRecords(out, 24);
  const seconds = (monoNow() - t0) / 1e9;
  if (count !== records) throw new Error(`the V8 floor built ${count} records, expected ${records}`);
  return records / seconds;
}

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

/** countRecords' running sum of the raw rows' timestamps (see there). */
const replayChecksum = new Float64Array(1);

/** Counts records in any batch format, touching each tuple/object so lazy results pay their cost. */
function countRecords(result: unknown, recordSize: number): number {
  if (result instanceof Uint8Array) {
    const count = result.byteLength / recordSize;
    // Each record's whole uint64 timestamp, as a consumer would use it (both 32-bit halves), summed
    // into a Float64Array slot, not a local: this loop runs once per process, in OSR code, which
    // keeps a local float accumulator boxed (155 scavenges per 10 M records, none with the slot),
    // the consumer's loop allocating, not the replay (as in scanAll).
    const checksum = replayChecksum;
    checksum[0] = 0;
    if (result.byteOffset % 4 === 0 && recordSize % 4 === 0) {
      // Typed-array reads: DataView over an external (mmap'd) buffer is several times slower here.
      const words = new Uint32Array(result.buffer, result.byteOffset, result.byteLength >> 2);
      const stride = recordSize >> 2;
      let i = TS_OFFSET >> 2;
      // Four records per slot update: each update is a load, an add and a store the next one waits
      // on (~4 ns per record, 38-43 ms CPU per 10 M records, pinned), where the C floor adds into a
      // register; four per update took it to 23-33 ms (issue #20, H35).
      for (const last = words.length - 3 * stride; i < last; i += 4 * stride) {
        const j = i + stride;
        const k = j + stride;
        const l = k + stride;
        checksum[0] +=
          words[i + 1] * 2 ** 32 +
          words[i] +
          (words[j + 1] * 2 ** 32 + words[j]) +
          (words[k + 1] * 2 ** 32 + words[k] + (words[l + 1] * 2 ** 32 + words[l]));
      }
      for (; i < words.length; i += stride) checksum[0] += words[i + 1] * 2 ** 32 + words[i];
    } else {
      const view = new DataView(result.buffer, result.byteOffset, result.byteLength);
      for (let offset = TS_OFFSET; offset < result.byteLength; offset += recordSize) {
        checksum[0] += view.getUint32(offset + 4, true) * 2 ** 32 + view.getUint32(offset, true);
      }
    }
    sink = checksum[0];
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
