/**
 * Raw floor for the fixed-rate method: the same measurement as Deepwater's latency rows, in C,
 * with no Deepwater and no V8 (native/fixedrate.c).
 *
 *   sender (cpu 0) ──{intended send time, seq}──▶ [ /dev/shm ring of 2^16 slots ] ──▶ receiver (cpu 1)
 *
 * The sender spins to each record's intended time and publishes it; the receiver takes every
 * record (a ring, like Deepwater's, so a receiver stall is charged for its backlog too) and
 * records arrival − intended. Every stall of either side (VM preemption, interrupts) is charged to every
 * record due during it, exactly as in the Deepwater rows, so this row's p99 is the tail any
 * implementation would show at this rate on this machine: read Deepwater's p99 against it.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { onCleanup } from '../core/cleanup.js';
import { type LatencySummary, newLatencyHistogram, recordNanos, reportHistogram } from '../core/histogram.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { TARGET_RATE } from '../deepwater/latency.js';
import { messageOf } from '../deepwater/sdk-contract.js';
import { compileNative, runNative } from './compile-native.js';
import { RAW_ROW_ID } from './raw-pingpong.js';

export const RAW_FIXED_RATE_ROW_ID = 'baseline.raw-c.fixed-100k';

export const rawFixedRate: Scenario = {
  id: 'baseline.raw-fixed-rate',
  title: 'raw C one-way at a fixed rate over /dev/shm',
  async run(context) {
    const row: ResultRow = {
      id: RAW_FIXED_RATE_ROW_ID,
      section: 'Baselines: cross-process one-way latency',
      label: 'raw C one-way @100k/s, fixed rate (the latency rows’ method)',
      compare: { raw: RAW_ROW_ID },
    };
    try {
      const binary = compileNative('fixedrate');
      const reps: LatencySummary[] = [];
      const late: number[] = [];
      for (let rep = 0; rep < context.profile.reps; rep++) {
        const result = await runOnce(binary, context);
        reps.push(result.summary);
        late.push(result.lateFraction);
      }
      row.metric = { kind: 'latency', reps };
      const worstLate = Math.max(...late);
      row.note = `no Deepwater, no V8: the machine's tail for this method; the sender ran >1 µs late for ${(worstLate * 100).toFixed(2)}% of records (worst run)`;
    } catch (error) {
      row.unavailable = messageOf(error);
    }
    return [row];
  },
};

async function runOnce(
  binary: string,
  context: ScenarioContext,
): Promise<{ summary: LatencySummary; lateFraction: number }> {
  const shmPath = `/dev/shm/dw-bench-fixedrate-${process.pid}-${Date.now()}`;
  const samplesPath = path.join(context.tempDir('fixedrate'), 'samples.u32');
  const removeShm = onCleanup(() => rmSync(shmPath, { force: true }));
  const { latencySeconds, latencyWarmupSeconds } = context.profile;
  const warmup = Math.round(TARGET_RATE * latencyWarmupSeconds);
  const total = warmup + Math.round(TARGET_RATE * latencySeconds);
  const [cpuA, cpuB] = context.pinning.available ? ['0', '1'] : ['-1', '-1'];
  try {
    const stdout = await runNative(binary, [
      shmPath,
      samplesPath,
      String(TARGET_RATE),
      String(total),
      String(warmup),
      cpuA,
      cpuB,
    ]);
    const { late } = JSON.parse(stdout) as { late: number };
    const bytes = readFileSync(samplesPath);
    const samples = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const histogram = newLatencyHistogram();
    for (const nanos of samples) recordNanos(histogram, nanos);
    return { summary: reportHistogram(histogram), lateFraction: late / total };
  } finally {
    rmSync(shmPath, { force: true });
    removeShm();
  }
}
