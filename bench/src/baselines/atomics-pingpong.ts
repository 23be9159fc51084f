/**
 * Node's own limit: Atomics ping-pong between two threads (see children/atomics-pingpong.ts).
 *
 *   main thread ⇄ [ SharedArrayBuffer ] ⇄ worker thread
 */
import { runChild } from '../core/child.js';
import type { LatencySummary } from '../core/histogram.js';
import type { Scenario } from '../core/scenario.js';
import { RAW_ROW_ID } from './raw-pingpong.js';

export const atomicsPingPong: Scenario = {
  id: 'baseline.atomics',
  title: 'Node Atomics ping-pong between two threads',
  async run(context) {
    const reps: LatencySummary[] = [];
    const iterations = context.profile.pingPongIterations;
    for (let rep = 0; rep < context.profile.reps; rep++) {
      const result = await runChild<{ summary: LatencySummary }>(
        'atomics-pingpong.js',
        { iterations, warmup: Math.max(10_000, iterations >> 3) },
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
    ];
  },
};
