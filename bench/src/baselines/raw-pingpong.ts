/**
 * Raw limit: a C ping-pong between two processes over a shared mapping in /dev/shm.
 *
 *   ping (cpu 0) ──seq──▶ [ /dev/shm mapping ] ──seq──▶ pong (cpu 1)
 *        ◀──────────────────── echo ────────────────────────┘
 *
 * One-way latency = round trip / 2. This is what the hardware and the VM's core placement allow;
 * every cross-process Deepwater latency is printed as a multiple of its p50.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { onCleanup } from '../core/cleanup.js';
import { type LatencySummary, newLatencyHistogram, reportHistogram } from '../core/histogram.js';
import { pingPongWarmup } from '../core/profile.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { compileNative, runNative } from './compile-native.js';

export const RAW_ROW_ID = 'baseline.raw-c';
const SECTION = 'Baselines: cross-process one-way latency';

export const rawPingPong: Scenario = {
  id: 'baseline.raw',
  title: 'raw C ping-pong over /dev/shm',
  async run(context) {
    const binary = compileNative('pingpong');
    const reps: LatencySummary[] = [];
    for (let rep = 0; rep < context.profile.reps; rep++) reps.push(await runOnce(binary, context));
    const row: ResultRow = {
      id: RAW_ROW_ID,
      section: SECTION,
      label: 'raw C ping-pong, shm (RTT/2)',
      metric: { kind: 'latency', reps },
      note: context.pinning.available ? undefined : 'unpinned: the OS placed both sides',
    };
    return [row];
  },
};

async function runOnce(binary: string, context: ScenarioContext): Promise<LatencySummary> {
  const shmPath = `/dev/shm/dw-bench-pingpong-${process.pid}-${Date.now()}`;
  const samplesPath = path.join(context.tempDir('pingpong'), 'samples.u32');
  const removeShm = onCleanup(() => rmSync(shmPath, { force: true }));
  const iterations = context.profile.pingPongIterations;
  const warmup = pingPongWarmup(iterations);
  const [cpuA, cpuB] = context.pinning.available ? ['0', '1'] : ['-1', '-1'];
  try {
    await runNative(binary, [
      shmPath,
      samplesPath,
      String(iterations),
      String(warmup),
      cpuA,
      cpuB,
      String(context.profile.pingPongSeconds * 1000),
    ]);
    const bytes = readFileSync(samplesPath);
    const samples = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const histogram = newLatencyHistogram();
    for (const nanos of samples) histogram.recordValue(nanos);
    return reportHistogram(histogram);
  } finally {
    rmSync(shmPath, { force: true });
    removeShm();
  }
}
