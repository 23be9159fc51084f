/**
 * Replay and seek over disk feeds:
 *
 *   bulk load (writeBatch) ──▶ chunk files ──range()──▶ tuple | object | columnar | raw
 *   chunk files (N records) ──range(t, t+10)──▶ time seek latency
 *
 * One child per format and repetition for replay, one child for seek (see children/dw-replay.ts,
 * dw-seek.ts).
 */
import { compileNative, runNative } from '../baselines/compile-native.js';
import { REDIS_XRANGE_ROW_ID } from '../baselines/redis-streams.js';
import type { ReplayResult } from '../children/dw-replay.js';
import { runChild } from '../core/child.js';
import { formatCount, formatRate } from '../core/format.js';
import type { LatencySummary } from '../core/histogram.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { messageOf } from './sdk-contract.js';

/** Targets name a 10 M-record replay feed and a 100 M-record seek feed. */
const TARGET_REPLAY_RECORDS = 10_000_000;
const TARGET_SEEK_RECORDS = 100_000_000;
/** Each measured in a fresh process per repetition; the V8 floors in the same kind of child. */
const REPLAY_FORMATS = [
  'tuple',
  'object',
  'columnar',
  'columnar-1thread',
  'raw',
  'scan',
  'floor-tuple',
  'floor-object',
] as const;
type ReplayKind = (typeof REPLAY_FORMATS)[number];

const REPLAY_ROWS: Readonly<Record<ReplayKind, { id: string; label: string; note?: string }>> = {
  tuple: { id: 'replay.disk.tuple', label: 'range() as tuple' },
  object: { id: 'replay.disk.object', label: 'range() as object' },
  columnar: { id: 'replay.disk.columnar', label: 'range() as columnar' },
  'columnar-1thread': {
    id: 'replay.disk.columnar.1-thread',
    label: 'range() as columnar, decodeThreads: 1',
  },
  raw: { id: 'replay.disk.raw', label: 'range() as raw, each ts read' },
  scan: { id: 'replay.disk.scan', label: 'scan(), every field of every record read' },
  'floor-tuple': {
    id: 'replay.floor.v8-tuple',
    label: "V8 floor: N arrays of the record's fields from a Float64Array",
    note: 'no Deepwater: V8 building the same arrays in the same kind of child; read the tuple row against it',
  },
  'floor-object': {
    id: 'replay.floor.v8-object',
    label: 'V8 floor: N objects',
    note: 'no Deepwater: V8 building the same objects in the same kind of child; read the object row against it',
  },
};
/**
 * The replay child is sized like a process meant to hold multi-GB results (the JVM's -Xms/-Xmx):
 * 10 M tuples are ~0.7 GB of live arrays, and with V8's default heap growth the heap is marked
 * again and again while it grows (one 0.5 s mark of a 0.5 GB heap inside a 1.5 s replay, seen with
 * --trace-gc). The tuple replay also runs once with the default growth, as its own row.
 */
const HEAP_FLAGS = ['--max-old-space-size=12288', '--expose-gc'];
const SIZED_HEAP = [...HEAP_FLAGS, '--initial-heap-size=4096'];
// Replay children are not pinned: range() splits large raw/columnar outputs over the cpus the
// process may use (the reader's decodeThreads), as it would in a research process. The C floor
// rows below are one core's.

export const diskReplay: Scenario = {
  id: 'dw.replay.disk',
  title: 'Deepwater range replay, disk',
  async run(context) {
    const records = context.profile.replayRecords;
    const section = `Deepwater range replay over a ${formatCount(records)}-record disk feed (24-byte records)`;
    const scaledDown =
      records < TARGET_REPLAY_RECORDS
        ? `a ${formatCount(records)}-record feed (--quick), not 10M`
        : undefined;
    const results: ReplayResult[] = [];
    let childFailure: string | undefined;
    try {
      // A fresh process per format: freeing one format's result (0.7 GB of tuples) goes on in the
      // background long after gc() returns, and on this VM memory just given back is slow to
      // fault in again (the next columnar replay ran at 22-61 M rec/s after tuples, ~95 alone).
      for (let rep = 0; rep < context.profile.heavyReps; rep++) {
        for (const format of REPLAY_FORMATS) {
          // The scan row's child optimises its loop before the heap-judged pass (dw-replay.ts optimisedCaller).
          const flags = format === 'scan' ? [...SIZED_HEAP, '--allow-natives-syntax'] : SIZED_HEAP;
          results.push(await replayChild(context, records, format, flags));
        }
      }
    } catch (error) {
      childFailure = messageOf(error);
    }
    const rows: ResultRow[] = REPLAY_FORMATS.map((format) => {
      const { id, label, note } = REPLAY_ROWS[format];
      const row: ResultRow = { id, section, label, scaledDown, compare: { redis: REDIS_XRANGE_ROW_ID } };
      if (note !== undefined) row.note = note;
      if (format.startsWith('floor')) row.compare = undefined;
      const perRep = results.flatMap((result) => result.formats.filter((f) => f.format === format));
      const error = childFailure ?? perRep.find((f) => !f?.rates)?.error;
      if (error !== undefined || perRep.length === 0 || perRep.some((f) => !f?.rates)) {
        row.unavailable = error ?? 'no result';
      } else row.metric = { kind: 'rate', reps: perRep.flatMap((f) => f!.rates!), bytesPerRecord: 24 };
      const growth = perRep.flatMap((f) => f?.heapGrowthBytes ?? []);
      if (growth.length > 0) {
        row.heapGrowthBytes = Math.max(...growth);
        const kib = (bytes: number[]) => bytes.map((b) => `${(b / 1024).toFixed(0)} KiB`).join(' / ');
        const cold = perRep.flatMap((f) => f?.coldHeapGrowthBytes ?? []);
        const warm = perRep.flatMap((f) => f?.warmRates ?? []);
        const optimised = perRep.flatMap((f) => f?.heapPassOptimised ?? []);
        const coldMain = perRep.flatMap((f) => f?.coldMainRates ?? []);
        const deoptimised = optimised.filter((o) => o === false).length;
        // The cold pass's growth is the caller's loop's interpreter phase (before V8 compiles it on
        // the stack) holding each double in a heap number, not the scan (dw-replay.ts timeOneScan).
        row.note =
          `heap growth over a third scan of every record, its loop optimised first (dw-replay.ts optimisedCaller): ${kib(growth)} (per run` +
          `${deoptimised > 0 ? `; in ${deoptimised} the loop deoptimised during the pass` : ''}); ` +
          `over the cold, timed pass: ${kib(cold)} (the caller's loop's doubles boxed until V8 compiles it); ` +
          `second pass: ${warm.map((r) => formatRate(r)).join(' / ')}` +
          (coldMain.length > 0
            ? `; cold pass over its main thread's CPU time: ${coldMain.map((r) => formatRate(r)).join(' / ')}`
            : '');
      }
      return row;
    });
    rows.push(await defaultHeapTupleRow(context, section, records));
    const bulkLoad: ResultRow = {
      id: 'replay.disk.bulk-load',
      section,
      label: 'bulk load with writeBatch ×10000',
    };
    if (results.length > 0)
      bulkLoad.metric = { kind: 'rate', reps: results.map((r) => r.fillRate), bytesPerRecord: 24 };
    else bulkLoad.unavailable = childFailure ?? 'no result';
    rows.push(bulkLoad);
    rows.push(...(await memoryFloorRows(context, section, records)));
    return rows;
  },
};

/** One timed range() of one format over a freshly loaded feed, in its own (unpinned) process. */
function replayChild(
  context: ScenarioContext,
  records: number,
  format: ReplayKind,
  nodeArgs: string[],
): Promise<ReplayResult> {
  return runChild<ReplayResult>(
    'dw-replay.js',
    { base: context.tempDir('replay'), records, reps: 1, formats: [format] },
    context.pinning,
    { timeoutMs: 900_000, nodeArgs },
  );
}

/** The tuple replay in a child with V8's default heap growth (only the old-space cap raised). */
async function defaultHeapTupleRow(
  context: ScenarioContext,
  section: string,
  records: number,
): Promise<ResultRow> {
  const row: ResultRow = {
    id: 'replay.disk.tuple.default-heap',
    section,
    label: 'range() as tuple, default heap growth',
    note: 'the rows above run with --initial-heap-size=4096; this one without (one run)',
  };
  try {
    const result = await replayChild(context, records, 'tuple', HEAP_FLAGS);
    const tuple = result.formats[0];
    if (tuple?.rates) row.metric = { kind: 'rate', reps: tuple.rates, bytesPerRecord: 24 };
    else row.unavailable = tuple?.error ?? 'no result';
  } catch (error) {
    row.unavailable = messageOf(error);
  }
  return row;
}

/**
 * The same bytes through C on one pinned core (native/memfloor.c): a fresh mapping of a page-cached
 * file of the records (as range() maps a feed's chunks), fresh output memory, copy (raw, each
 * timestamp read) or one pass into columns; and a pass reading every field in place (no output).
 * Read the raw, columnar and scan rows against these.
 */
async function memoryFloorRows(
  context: ScenarioContext,
  section: string,
  records: number,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [
    { id: 'replay.floor.raw', section, label: 'C floor, one core: copy into fresh memory, each ts read' },
    { id: 'replay.floor.columnar', section, label: 'C floor, one core: one pass into fresh columns' },
    {
      id: 'replay.floor.scan',
      section,
      label: 'C floor, one core: every field of every record read in place',
    },
  ];
  try {
    const binary = compileNative('memfloor');
    const args = [String(records), String(context.profile.heavyReps), context.tempDir('replay-floor')];
    const stdout = await runNative(binary, args, {
      pinning: context.pinning,
      cpu: 0,
    });
    const rates = JSON.parse(stdout) as { raw: number[]; columnar: number[]; scan: number[] };
    const note =
      'no Deepwater, no V8: the same bytes in C on one pinned core, mapped fresh from a page-cached file, output memory from the kernel each time';
    rows[0].metric = { kind: 'rate', reps: rates.raw, bytesPerRecord: 24 };
    rows[1].metric = { kind: 'rate', reps: rates.columnar, bytesPerRecord: 24 };
    rows[2].metric = { kind: 'rate', reps: rates.scan, bytesPerRecord: 24 };
    for (const row of rows) row.note = note;
    rows[2].note =
      'no Deepwater, no V8: the same bytes in C on one pinned core, populated memory, no output: read the scan() row against it';
  } catch (error) {
    for (const row of rows) row.unavailable = messageOf(error);
  }
  return rows;
}

export const diskSeek: Scenario = {
  id: 'dw.seek.disk',
  title: 'Deepwater time seek, disk',
  async run(context) {
    const records = context.profile.seekRecords;
    const row: ResultRow = {
      id: 'seek.disk',
      section: 'Deepwater time seek (lower bound), disk',
      label: `range(t, t+10) → 1 record, ${formatCount(records)}-record feed`,
    };
    if (records < TARGET_SEEK_RECORDS)
      row.scaledDown = `a ${formatCount(records)}-record feed (--quick), not 100M`;
    try {
      const result = await runChild<{ fillRate: number; summary: LatencySummary }>(
        'dw-seek.js',
        {
          base: context.tempDir('seek'),
          records,
          samples: context.profile.seekSamples,
          maxSeconds: context.profile.seekSeconds,
        },
        context.pinning,
        { cpu: 0, timeoutMs: 900_000 },
      );
      row.metric = { kind: 'latency', reps: [result.summary] };
      const seeks = `${result.summary.count} random seeks`;
      const load = `feed bulk-loaded at ${(result.fillRate / 1e6).toFixed(1)} M rec/s`;
      row.note = [row.scaledDown, seeks, load].filter(Boolean).join('; ');
    } catch (error) {
      row.unavailable = messageOf(error);
    }
    return [row];
  },
};
