/**
 * Replay and seek over disk feeds:
 *
 *   bulk load (writeBatch) ──▶ chunk files ──range()──▶ tuple | object | columnar | raw
 *   chunk files (N records) ──range(t, t+10)──▶ time seek latency
 *
 * One child per repetition for replay, one child for seek (see children/dw-replay.ts, dw-seek.ts).
 */
import { REDIS_XRANGE_ROW_ID } from '../baselines/redis-streams.js';
import { runChild } from '../core/child.js';
import { formatCount } from '../core/format.js';
import type { LatencySummary } from '../core/histogram.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario } from '../core/scenario.js';
import { messageOf } from './sdk-contract.js';

/** Targets name a 10 M-record replay feed and a 100 M-record seek feed. */
const TARGET_REPLAY_RECORDS = 10_000_000;
const TARGET_SEEK_RECORDS = 100_000_000;
const BIG_HEAP = ['--max-old-space-size=12288', '--expose-gc'];

interface ReplayResult {
  fillRate: number;
  formats: Array<{ format: string; rates?: number[]; error?: string }>;
}

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
      for (let rep = 0; rep < context.profile.heavyReps; rep++) {
        results.push(
          await runChild<ReplayResult>(
            'dw-replay.js',
            { base: context.tempDir('replay'), records, reps: 1 },
            context.pinning,
            { cpu: 0, timeoutMs: 900_000, nodeArgs: BIG_HEAP },
          ),
        );
      }
    } catch (error) {
      childFailure = messageOf(error);
    }
    const rows: ResultRow[] = ['tuple', 'object', 'columnar', 'raw'].map((format) => {
      const row: ResultRow = {
        id: `replay.disk.${format}`,
        section,
        label: format === 'raw' ? 'range() as raw, each ts read' : `range() as ${format}`,
        scaledDown,
        compare: { redis: REDIS_XRANGE_ROW_ID },
      };
      const perRep = results.map((result) => result.formats.find((f) => f.format === format));
      const error = childFailure ?? perRep.find((f) => !f?.rates)?.error;
      if (error !== undefined || perRep.length === 0 || perRep.some((f) => !f?.rates)) {
        row.unavailable = error ?? 'no result';
      } else row.metric = { kind: 'rate', reps: perRep.flatMap((f) => f!.rates!), bytesPerRecord: 24 };
      return row;
    });
    const bulkLoad: ResultRow = {
      id: 'replay.disk.bulk-load',
      section,
      label: 'bulk load with writeBatch ×10000',
    };
    if (results.length > 0)
      bulkLoad.metric = { kind: 'rate', reps: results.map((r) => r.fillRate), bytesPerRecord: 24 };
    else bulkLoad.unavailable = childFailure ?? 'no result';
    rows.push(bulkLoad);
    return rows;
  },
};

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
