/**
 * Deepwater ping-pong, disk and ring, timed exactly like the baselines (round trip / 2):
 *
 *   ping process (cpu 0) ──writeValues──▶ feed A ──stream() spin──▶ pong process (cpu 1)
 *        ◀────────stream() spin──── feed B ◀──writeValues(echo)────────┘
 *
 * The fixed-rate one-way runs (latency.ts) charge each record its writer's clock read, the sender's
 * polling granularity and the reader's clock read (~60 ns each from JS here), none of which the C
 * ping-pong pays per trip; this row puts Deepwater on the baselines' own method, so "÷raw" compares
 * like with like. One pair of children per repetition (children/dw-pingpong.ts).
 */
import { RAW_ROW_ID } from '../baselines/raw-pingpong.js';
import { BenchChild } from '../core/child.js';
import type { LatencySummary } from '../core/histogram.js';
import { pingPongWarmup } from '../core/profile.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { messageOf } from './sdk-contract.js';

export function pingPongRowId(kind: 'disk' | 'ring'): string {
  return `pingpong.${kind}.spin`;
}

function pingPongScenario(persist: boolean): Scenario {
  const kind = persist ? 'disk' : 'ring';
  return {
    id: `dw.pingpong.${kind}`,
    title: `Deepwater ping-pong through two ${kind} feeds`,
    async run(context) {
      const row: ResultRow = {
        id: pingPongRowId(kind),
        section: 'Deepwater cross-process ping-pong (RTT/2, the baselines’ method)',
        label: `${kind}: writeValues → stream() spin, echoed back (RTT/2)`,
        compare: { raw: RAW_ROW_ID },
      };
      try {
        const reps: LatencySummary[] = [];
        for (let rep = 0; rep < context.profile.reps; rep++) {
          reps.push(await pingPongOnce(context, persist, `pp-${kind}-${rep}`));
        }
        row.metric = { kind: 'latency', reps };
      } catch (error) {
        row.unavailable = messageOf(error);
        context.log(`${row.id}: ${row.unavailable}`);
      }
      return [row];
    },
  };
}

async function pingPongOnce(
  context: ScenarioContext,
  persist: boolean,
  name: string,
): Promise<LatencySummary> {
  const iterations = context.profile.pingPongIterations;
  const params = {
    base: context.tempDir(`pingpong-${persist ? 'disk' : 'ring'}`),
    name,
    persist,
    iterations,
    warmup: pingPongWarmup(iterations),
    maxSeconds: context.profile.pingPongSeconds,
  };
  const options = { timeoutMs: 120_000 };
  const ping = new BenchChild('dw-pingpong.js', { ...params, role: 'ping' }, context.pinning, {
    ...options,
    cpu: 0,
  });
  let pong: BenchChild | undefined;
  try {
    await ping.waitFor('ready');
    pong = new BenchChild('dw-pingpong.js', { ...params, role: 'pong' }, context.pinning, {
      ...options,
      cpu: 1,
    });
    await pong.waitFor('ready');
    ping.send({ type: 'go' });
    await ping.waitFor('done');
    await pong.result();
    ping.send({ type: 'finish' });
    const result = await ping.result<{ summary: LatencySummary }>();
    return result.summary;
  } finally {
    ping.kill();
    pong?.kill();
  }
}

export const diskPingPong = pingPongScenario(true);
export const ringPingPong = pingPongScenario(false);
