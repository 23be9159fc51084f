import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { spawnTs } from '../helpers/child.js';
import { type Corruption, makeTemplate, type TrialResult, templateFiles } from './corruption-trial.js';

/** Drives the corruption fuzzer: seeded damages, run in child processes in batches (issue #14). */

export interface FuzzTally {
  trials: number;
  seed: number;
  /** Trials whose child was killed by a signal (the trial id and the signal). */
  signals: string[];
  violations: { id: number; target: string; kind: string; offset: number; violations: string[] }[];
  repairedClean: number;
  repairLeftProblems: number;
  quarantined: number;
  byTarget: Record<string, number>;
}

export function corruptionArbitrary(fileCount: number): fc.Arbitrary<Corruption> {
  return fc.record({
    file: fc.integer({ min: 0, max: fileCount - 1 }),
    // Headers live at the start of every file: bias a third of the trials into the first 128 bytes.
    at: fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      fc.double({ min: 0, max: 0.02, noNaN: true }),
    ),
    // A fifth of the trials aim at a format 2 field: header checksums (chunk 36, chunks.reg 32,
    // feeds.reg 24), firstSeq (chunk 40), spec length/CRC (chunks.reg 36, 40), a slot's firstSeq
    // and exact timestamps (chunks.reg 256 + 48..72), the feed.json copy (chunks.reg 2,097,408).
    offset: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(24, 32, 36, 38, 40, 44, 46, 304, 312, 320, 2_097_408, 2_097_440),
      },
    ),
    length: fc.integer({ min: 1, max: 16 }),
    kind: fc.constantFrom('random', 'zero', 'ones', 'truncate', 'bitflip'),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
  });
}

export async function runFuzz(options: {
  trials: number;
  seed: number;
  batch?: number;
  onBatch?: (tally: FuzzTally) => void;
}): Promise<FuzzTally> {
  const root = mkdtempSync(join(tmpdir(), 'dw-test-fuzz-'));
  const tally: FuzzTally = {
    trials: 0,
    seed: options.seed,
    signals: [],
    violations: [],
    repairedClean: 0,
    repairLeftProblems: 0,
    quarantined: 0,
    byTarget: {},
  };
  try {
    const template = join(root, 'template');
    makeTemplate(template);
    const files = templateFiles(template);
    const corruptions = fc.sample(corruptionArbitrary(files.length), {
      seed: options.seed,
      numRuns: options.trials,
    });
    const batch = options.batch ?? 50;
    for (let from = 0; from < corruptions.length; from += batch) {
      const trials = corruptions.slice(from, from + batch).map((c, i) => ({ ...c, id: from + i }));
      const child = spawnTs('corruption-victim.ts', [template, join(root, 'work'), JSON.stringify(trials)]);
      const exit = await child.exited;
      const lines = exit.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      let started = -1;
      for (const line of lines) {
        if (typeof line.start === 'number') started = line.start;
        if (line.result === undefined) continue;
        const result = line.result as TrialResult;
        tally.trials++;
        tally.byTarget[result.target.replace(/chunk-\d+/, 'chunk-N')] =
          (tally.byTarget[result.target.replace(/chunk-\d+/, 'chunk-N')] ?? 0) + 1;
        if (result.repairRemaining === 0) tally.repairedClean++;
        else tally.repairLeftProblems++;
        tally.quarantined += result.quarantined;
        if (result.violations.length > 0) {
          const { target, kind, offset, violations } = result;
          tally.violations.push({ id: line.id as number, target, kind, offset, violations });
        }
      }
      if (exit.signal !== null) tally.signals.push(`trial ${started}: ${exit.signal}`);
      else if (exit.code !== 0)
        tally.signals.push(`batch from ${from}: exit ${exit.code}: ${exit.stderr.slice(-500)}`);
      options.onBatch?.(tally);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tally;
}
