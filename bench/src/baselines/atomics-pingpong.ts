/**
 * Node's own limits:
 *
 *   main thread ⇄ [ SharedArrayBuffer ] ⇄ worker thread                 (children/atomics-pingpong.ts)
 *   ping process (cpu 0) ⇄ [ /dev/shm via storage-native ] ⇄ pong process (cpu 1)   (children/node-shm-pingpong.ts)
 */
import { rmSync } from 'node:fs';
import { BenchChild, runChild } from '../core/child.js';
import { onCleanup } from '../core/cleanup.js';
import type { LatencySummary } from '../core/histogram.js';
import { pingPongWarmup } from '../core/profile.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { messageOf } from '../deepwater/sdk-contract.js';
import { RAW_ROW_ID } from './raw-pingpong.js';

export const atomicsPingPong: Scenario = {
  id: 'baseline.atomics',
  title: 'Node Atomics ping-pong: two threads, two processes over shm',
  async run(context) {
    const reps: LatencySummary[] = [];
    const iterations = context.profile.pingPongIterations;
    for (let rep = 0; rep < context.profile.reps; rep++) {
      const result = await runChild<{ summary: LatencySummary }>(
        'atomics-pingpong.js',
        {
          iterations,
          warmup: pingPongWarmup(iterations),
          maxSeconds: context.profile.pingPongSeconds,
        },
        context.pinning,
        { timeoutMs: 120_000 },
      );
      reps.push(result.summary);
    }
    return [
      {
        id: 'baseline.node-atomics',
        section: 'Baselines: cross-process one-way latency',
        label: 'Node Atomics ping-pong, threads (RTT/2)',
        metric: { kind: 'latency', reps },
        compare: { raw: RAW_ROW_ID },
        note: 'two threads of one process (unpinned); includes one hrtime read per round trip',
      },
      await processPingPong(context),
    ];
  },
};

async function processPingPong(context: ScenarioContext): Promise<ResultRow> {
  const row: ResultRow = {
    id: 'baseline.node-shm',
    section: 'Baselines: cross-process one-way latency',
    label: 'Node Atomics ping-pong, processes over shm (RTT/2)',
    compare: { raw: RAW_ROW_ID },
  };
  try {
    const reps: LatencySummary[] = [];
    for (let rep = 0; rep < context.profile.reps; rep++) reps.push(await processPingPongOnce(context, rep));
    row.metric = { kind: 'latency', reps };
  } catch (error) {
    row.unavailable = messageOf(error);
  }
  return row;
}

async function processPingPongOnce(context: ScenarioContext, rep: number): Promise<LatencySummary> {
  const name = `dw-bench-pingpong-${process.pid}-${rep}`;
  const removeShm = onCleanup(() => rmSync(`/dev/shm/${name}`, { force: true }));
  const iterations = context.profile.pingPongIterations;
  const params = {
    name,
    iterations,
    warmup: pingPongWarmup(iterations),
    maxSeconds: context.profile.pingPongSeconds,
  };
  const options = { timeoutMs: 120_000 };
  const ping = new BenchChild('node-shm-pingpong.js', { ...params, role: 'ping' }, context.pinning, {
    ...options,
    cpu: 0,
  });
  let pong: BenchChild | undefined;
  try {
    await ping.waitFor('ready');
    pong = new BenchChild('node-shm-pingpong.js', { ...params, role: 'pong' }, context.pinning, {
      ...options,
      cpu: 1,
    });
    await pong.waitFor('ready');
    ping.send({ type: 'go' });
    const [result] = await Promise.all([ping.result<{ summary: LatencySummary }>(), pong.result()]);
    return result.summary;
  } finally {
    ping.kill();
    pong?.kill();
    rmSync(`/dev/shm/${name}`, { force: true });
    removeShm();
  }
}
