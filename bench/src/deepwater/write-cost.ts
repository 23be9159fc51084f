/**
 * Deepwater write cost per record, disk and ring, 24- and 64-byte records:
 *
 *   writer process ──writeValues|writeTuple|writeDict|writeBatch──▶ chunk file / ring
 *
 * One child process per storage kind and repetition (see children/dw-write-cost.ts).
 */
import { REDIS_PIPELINED_ROW_ID } from '../baselines/redis-streams.js';
import type { WritePairResult } from '../children/dw-write-pair.js';
import { runChild } from '../core/child.js';
import type { LatencySummary } from '../core/histogram.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { messageOf } from './sdk-contract.js';
import { WRITE_METHODS, type WriteCostResult, type WriteMethod } from './write-methods.js';

const SIZES: Array<24 | 64> = [24, 64];

function writeCostScenario(persist: boolean): Scenario {
  const kind = persist ? 'disk' : 'ring';
  return {
    id: `dw.write.${kind}`,
    title: `Deepwater write cost, ${kind}`,
    run: (context) => runWriteCost(context, persist, kind),
  };
}

async function runWriteCost(context: ScenarioContext, persist: boolean, kind: string): Promise<ResultRow[]> {
  const runs: WriteCostResult[][] = [];
  let childFailure: string | undefined;
  try {
    for (let rep = 0; rep < context.profile.heavyReps; rep++) {
      runs.push(
        await runChild<WriteCostResult[]>(
          'dw-write-cost.js',
          {
            base: context.tempDir(`write-${kind}`),
            persist,
            records: context.profile.writeRecords,
            sizes: SIZES,
          },
          context.pinning,
          { cpu: 0, timeoutMs: 600_000 },
        ),
      );
    }
  } catch (error) {
    childFailure = messageOf(error);
  }
  const rows: ResultRow[] = [];
  for (const size of SIZES) {
    for (const method of WRITE_METHODS) {
      const results = runs.map((run) => run.find((r) => r.size === size && r.method === method));
      const row: ResultRow = {
        id: `write.${kind}.${method}.${size}B`,
        section: `Deepwater write cost per record, ${kind} (${persist ? 'mmap chunk files' : 'shared-memory ring'})`,
        label: `${method}, ${size}-byte record${method === 'writeBatch' ? ' (×1000 per call)' : ''}`,
        compare: { redis: REDIS_PIPELINED_ROW_ID },
      };
      const failure = childFailure ?? results.find((r) => !r?.summary)?.error;
      if (failure !== undefined || results.length === 0 || results.some((r) => !r?.summary)) {
        row.unavailable = failure ?? 'no result';
      } else {
        row.metric = {
          kind: 'cost',
          reps: results.map((r) => r!.summary as LatencySummary),
          ratesPerSecond: results.map((r) => r!.ratePerSecond as number),
        };
      }
      rows.push(row);
    }
  }
  return rows;
}

export const diskWriteCost = writeCostScenario(true);
export const ringWriteCost = writeCostScenario(false);

/**
 * Ring against disk in one process, taking turns block by block (children/dw-write-pair.ts): the
 * rows the ring-vs-disk write targets judge, since separate children draw the host's write-cost
 * modes independently. The per-pair ratio's median is in the note.
 */
export const writePair: Scenario = {
  id: 'dw.write.pair',
  title: 'Deepwater write cost, ring and disk taking turns in one process',
  async run(context) {
    const runs: WritePairResult[][] = [];
    let failure: string | undefined;
    try {
      for (let rep = 0; rep < context.profile.heavyReps; rep++) {
        runs.push(
          await runChild<WritePairResult[]>(
            'dw-write-pair.js',
            {
              base: context.tempDir('write-pair'),
              records: context.profile.writeRecords,
              methods: PAIR_METHODS,
            },
            context.pinning,
            { cpu: 0, timeoutMs: 600_000 },
          ),
        );
      }
    } catch (error) {
      failure = messageOf(error);
    }
    const rows: ResultRow[] = [];
    for (const method of PAIR_METHODS) {
      const results = runs.map((run) => run.find((r) => r.method === method));
      const complete = failure === undefined && results.length > 0 && results.every((r) => r !== undefined);
      const ratios = results.map((r) => r?.ratioP50.toFixed(3)).join(' / ');
      for (const kind of ['ring', 'disk'] as const) {
        const row: ResultRow = {
          id: `write.pair.${kind}.${method}.24B`,
          section:
            'Deepwater write cost per record, ring and disk taking turns block by block in one process',
          label: `${kind} ${method}, 24-byte record${method === 'writeBatch' ? ' (×1000 per call)' : ''}`,
        };
        if (!complete) {
          row.unavailable = failure ?? 'no result';
        } else {
          const summaries = results.map((r) => r![kind]);
          row.metric = {
            kind: 'cost',
            reps: summaries,
            ratesPerSecond: summaries.map((s) => 1e9 / s.mean),
          };
          if (kind === 'ring') row.note = `median per-block ratio ring/disk: ${ratios} (per run)`;
        }
        rows.push(row);
      }
    }
    return rows;
  },
};

const PAIR_METHODS: WriteMethod[] = ['writeValues', 'writeBatch'];
