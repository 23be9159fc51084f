/**
 * Ring against disk write cost in ONE process, the two writers taking turns block by block (a
 * block = 256 writeValues or one writeBatch of 1000 records, the write-cost rows' units), so both
 * see the same moments of the machine:
 *
 *   ring writer ──block──▶ /dev/shm ring      disk writer ──block──▶ chunk file      (alternating)
 *
 * On this shared VM a process's store cost moves between a fast and a ~1.7x slower mode for a
 * second or more at a time, and a plain SharedArrayBuffer store loop moves with it
 * (bench/notes/issue-18-latency-findings.md): rows from separate children compare the modes they
 * drew, not the writers. Each kind's loops come from their own instance of write-loops.js, so
 * neither call site's type feedback sees the other writer's class.
 */
import { childMain } from '../core/child-main.js';
import { type LatencySummary, newLatencyHistogram, summarize } from '../core/histogram.js';
import { CHUNK_SIZE_MB, TICK_24, TS_COL } from '../deepwater/schemas.js';
import { loadSdk, type SdkWriter } from '../deepwater/sdk-contract.js';
import { PICO, perRecordSummary } from '../deepwater/write-loops.js';
import { BATCH, type WriteMethod } from '../deepwater/write-methods.js';

interface Params {
  base: string;
  records: number;
  methods: WriteMethod[];
}

export interface WritePairResult {
  method: WriteMethod;
  ring: LatencySummary;
  disk: LatencySummary;
  /** The median of the per-block-pair ratio ring/disk. */
  ratioP50: number;
}

const BLOCK = 256;

type Loops = typeof import('../deepwater/write-loops.js');
/** A separate module instance (its own functions, its own type feedback) per writer kind. */
const loopsFor = (kind: 'ring' | 'disk'): Promise<Loops> => {
  const url = new URL('../deepwater/write-loops.js', import.meta.url);
  url.search = `?${kind}`;
  return import(url.href) as Promise<Loops>;
};

childMain(async ({ base, records, methods }: Params): Promise<WritePairResult[]> => {
  const { Platform } = await loadSdk();
  const loops = { ring: await loopsFor('ring'), disk: await loopsFor('disk') };
  const platform = new Platform(base);
  const results: WritePairResult[] = [];
  try {
    for (const method of methods) {
      const writers: SdkWriter[] = [];
      try {
        for (const persist of [false, true]) {
          const feedName = `pair-${method}-${persist ? 'disk' : 'ring'}`;
          // As the write-cost rows: disk chunks of the default size, a 16 MiB ring.
          platform.createFeed({
            feedName,
            fields: TICK_24,
            tsCol: TS_COL.tick,
            persist,
            chunkSizeMb: persist ? CHUNK_SIZE_MB : 16,
          });
          writers.push(platform.createWriter(feedName));
        }
        const [ringWriter, diskWriter] = writers;
        const ring = loops.ring.writeLoop(ringWriter, method, 24);
        const disk = loops.disk.writeLoop(diskWriter, method, 24);
        results.push({ method, ...measurePair(ring, disk, method, records) });
      } finally {
        for (const writer of writers) writer.close();
        for (const kind of ['ring', 'disk'])
          platform.deleteFeed(`pair-${method}-${kind}`, { missingOk: true });
      }
    }
  } finally {
    platform.close();
  }
  return results;
});

type Unit = (calls: number, perCall: number) => number;

function measurePair(ring: Unit, disk: Unit, method: WriteMethod, records: number) {
  const perCall = method === 'writeBatch' ? BATCH : BLOCK;
  const warmup = Math.ceil(Math.max(BATCH * 10, Math.floor(records / 10)) / perCall);
  for (let i = 0; i < warmup; i++) {
    ring(1, perCall);
    disk(1, perCall);
  }
  const blocks = Math.ceil(records / perCall);
  const ringHistogram = newLatencyHistogram();
  const diskHistogram = newLatencyHistogram();
  const ratios = new Float64Array(blocks);
  for (let block = 0; block < blocks; block++) {
    // Alternate which goes first: neither always runs right after the other's stores.
    let r: number;
    let d: number;
    if (block & 1) {
      d = disk(1, perCall);
      r = ring(1, perCall);
    } else {
      r = ring(1, perCall);
      d = disk(1, perCall);
    }
    ringHistogram.recordValue(Math.max(1, Math.round((r * PICO) / perCall)));
    diskHistogram.recordValue(Math.max(1, Math.round((d * PICO) / perCall)));
    ratios[block] = r / Math.max(1, d);
  }
  ratios.sort();
  return {
    ring: perRecordSummary(summarize(ringHistogram), perCall),
    disk: perRecordSummary(summarize(diskHistogram), perCall),
    ratioP50: ratios[ratios.length >> 1],
  };
}
