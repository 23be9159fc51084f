/**
 * Deepwater cross-process latency at fixed send rates, disk and ring, three read modes:
 *
 *   writer process (cpu 0) ──▶ chunk file (disk) | /dev/shm ring ──▶ reader process (cpu 1)
 *                                                                    stream() spin | for await | readAvailable()
 *
 * One writer and one reader child per measurement (children/dw-latency-{writer,reader}.ts).
 */
import { RAW_ROW_ID } from '../baselines/raw-pingpong.js';
import { REDIS_ONEWAY_ROW_ID } from '../baselines/redis-streams.js';
import { BenchChild } from '../core/child.js';
import type { LatencySummary } from '../core/histogram.js';
import { rateLabel } from '../core/profile.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { messageOf } from './sdk-contract.js';

type ReadMode = 'spin' | 'async' | 'poll';
const MODES: Array<{ mode: ReadMode; label: string }> = [
  { mode: 'spin', label: 'stream() sync spin' },
  { mode: 'async', label: 'stream() for await' },
  { mode: 'poll', label: 'readAvailable() poll' },
];
/** The rate the targets name: more repetitions there. */
export const TARGET_RATE = 100_000;

interface ReaderResult {
  summary: LatencySummary;
  received: number;
  lostRecords: number;
}

interface RunResult extends ReaderResult {
  /** Fraction of sends the writer made more than 1 µs after their intended time. */
  lateFraction: number;
}

function latencyScenario(persist: boolean): Scenario {
  const kind = persist ? 'disk' : 'ring';
  return {
    id: `dw.latency.${kind}`,
    title: `Deepwater cross-process latency, ${kind}`,
    async run(context) {
      const base = context.tempDir(`latency-${kind}`);
      const rows: ResultRow[] = [];
      for (const { mode, label } of MODES) {
        for (const rate of context.profile.latencyRates) {
          const reps =
            mode === 'spin' && rate === TARGET_RATE ? context.profile.reps : context.profile.latencyReps;
          const row: ResultRow = {
            id: `latency.${kind}.${mode}.${rateLabel(rate)}`,
            section: `Deepwater cross-process one-way latency, ${kind}`,
            label: `${label} @${rateLabel(rate)}/s`,
            compare: { raw: RAW_ROW_ID, redis: REDIS_ONEWAY_ROW_ID },
          };
          try {
            const results: RunResult[] = [];
            for (let rep = 0; rep < reps; rep++) {
              const feedName = `lat-${mode}-${rateLabel(rate)}-${rep}`;
              results.push(await measureOnce(context, { base, feedName, persist, mode, rate }));
            }
            row.metric = { kind: 'latency', reps: results.map((r) => r.summary) };
            const notes: string[] = [];
            const lost = results.reduce((sum, r) => sum + r.lostRecords, 0);
            if (lost > 0) {
              row.lostRecords = lost;
              notes.push(`reader lost ${lost} records (lapped by the writer)`);
            }
            const late = Math.max(...results.map((r) => r.lateFraction));
            if (late > 0.01) notes.push(`the writer sent ${(late * 100).toFixed(0)}% of records >1 µs late`);
            if (notes.length > 0) row.note = notes.join('; ');
          } catch (error) {
            row.unavailable = messageOf(error);
            context.log(`${row.id}: ${row.unavailable}`);
          }
          rows.push(row);
        }
      }
      return rows;
    },
  };
}

interface Run {
  base: string;
  feedName: string;
  persist: boolean;
  mode: ReadMode;
  rate: number;
}

async function measureOnce(context: ScenarioContext, run: Run): Promise<RunResult> {
  const { latencySeconds, latencyWarmupSeconds } = context.profile;
  const warmup = Math.round(run.rate * latencyWarmupSeconds);
  const total = warmup + Math.round(run.rate * latencySeconds);
  const timeoutMs = 60_000 + (total / run.rate) * 10_000;
  const writer = new BenchChild(
    'dw-latency-writer.js',
    { base: run.base, feedName: run.feedName, persist: run.persist, rate: run.rate, total },
    context.pinning,
    { cpu: 0, timeoutMs },
  );
  let reader: BenchChild | undefined;
  try {
    await writer.waitFor('ready');
    reader = new BenchChild(
      'dw-latency-reader.js',
      { base: run.base, feedName: run.feedName, mode: run.mode, total, warmup },
      context.pinning,
      { cpu: 1, timeoutMs },
    );
    await reader.waitFor('ready');
    writer.send({ type: 'go' });
    const result = await reader.result<ReaderResult>();
    const sent = await writer.waitFor<{ type: string; late: number }>('sent');
    writer.send({ type: 'finish' });
    await writer.result();
    return { ...result, lateFraction: sent.late / total };
  } finally {
    reader?.kill();
    writer.kill();
  }
}

export const diskLatency = latencyScenario(true);
export const ringLatency = latencyScenario(false);
