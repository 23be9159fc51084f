/**
 * Coinbase ingest replay (apps/ingest-example) at --speed max, through the real websocket path:
 *
 *   session file ──▶ replay server (child process) ──ws, loopback──▶ ingester (bench child):
 *                     JSON frames as Coinbase sends them              parse → gap checks → writeBatch ──▶ CB-* disk feeds
 *
 * The session is the bundled fixture's generator (BTC-USD, ETH-USD, SOL-USD; trades, 25-level L2
 * snapshots and updates, heartbeats) run as one connection of 200 K frames (100 K with --quick).
 * Each run first replays a 20 K-frame session unmeasured, for the JIT. The same replay into a
 * counting in-memory sink (no Deepwater; runs interleaved with the Deepwater runs) is the floor:
 * what receive, parse and gap checks cost on this host, so the target does not depend on the
 * host's JSON speed. The two processes are not
 * pinned: taskset would put the server (a child of the ingester) on the ingester's core, and the
 * point is one core each.
 */
import { join } from 'node:path';
import { runChild } from '../core/child.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario } from '../core/scenario.js';
import { spreadOf } from '../core/spread.js';
import { messageOf } from '../deepwater/sdk-contract.js';
import type { IngestReplayParams, IngestReplayResult } from './replay-child.js';
import { writeSession } from './session.js';

export const INGEST_REPLAY_ROW_ID = 'ingest.replay';
export const INGEST_MEMORY_SINK_ROW_ID = 'ingest.replay.memory-sink';
const REPS = 3;
/** Replayed before each measured run, so the measured code is JIT-compiled (as in a long run). */
const WARM_UP_FRAMES = 20_000;

export const ingestReplay: Scenario = {
  id: 'ingest.replay',
  title: 'Coinbase ingest replay',
  async run(context) {
    // --quick halves the session (~20 s instead of ~40 s); shorter runs measure start-up, not ingest.
    const target = context.profile.name === 'quick' ? 100_000 : 200_000;
    const dir = context.tempDir('ingest');
    const rate: ResultRow = {
      id: INGEST_REPLAY_ROW_ID,
      section: `Coinbase ingest replay, --speed max, ${Math.round(target / 1000)} K frames → Deepwater disk feeds`,
      label: 'messages/s (ws receive → parse → write)',
    };
    const records: ResultRow = {
      id: 'ingest.replay.records',
      section: rate.section,
      label: 'records/s written (trades, L2 levels, events)',
    };
    const latency: ResultRow = {
      id: 'ingest.replay.latency',
      section: 'Coinbase ingest, parse + write time per frame (every frame of each run)',
      label: 'parse, gap checks, writeBatch',
    };
    const floor: ResultRow = {
      id: INGEST_MEMORY_SINK_ROW_ID,
      section: rate.section,
      label: 'messages/s into a memory sink (the floor)',
    };
    const rows = [rate, records, floor, latency];
    try {
      const session = await writeSession(join(dir, 'session.jsonl'), target);
      const warmUp = await writeSession(join(dir, 'warm-up.jsonl'), WARM_UP_FRAMES);
      const results: IngestReplayResult[] = [];
      const floorResults: IngestReplayResult[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        for (const sink of ['memory', 'deepwater'] as const) {
          context.log(`ingest replay ${rep + 1}/${REPS} into ${sink} (${session.frames} frames)`);
          const params: IngestReplayParams = {
            base: join(dir, `base-${sink}-${rep}`),
            file: session.path,
            frames: session.frames,
            warmUpFile: warmUp.path,
            sink,
          };
          const result = await runChild<IngestReplayResult>(
            '../ingest/replay-child.js',
            params,
            context.pinning,
            {
              timeoutMs: 300_000,
            },
          );
          (sink === 'memory' ? floorResults : results).push(result);
        }
      }
      rate.metric = {
        kind: 'rate',
        reps: results.map((r) => r.messages / r.seconds),
        bytesPerRecord: session.bytes / session.frames,
      };
      records.metric = { kind: 'rate', reps: results.map((r) => r.records / r.seconds) };
      floor.metric = { kind: 'rate', reps: floorResults.map((r) => r.messages / r.seconds) };
      const floorCpu = spreadOf(floorResults.map((r) => r.cpuMicrosPerMessage));
      floor.note = `no Deepwater: the same replay (receive, JSON parse, gap checks) into a counting sink; ingesting process CPU ${floorCpu.median.toFixed(1)} µs/msg`;
      latency.metric = { kind: 'latency', reps: results.map((r) => r.latency) };
      const cpu = spreadOf(results.map((r) => r.cpuMicrosPerMessage));
      rate.note =
        `${session.frames} frames of ${Math.round(session.bytes / session.frames)} B on average (GB/s counts frame bytes); ` +
        `ingesting process CPU ${cpu.median.toFixed(1)} µs/msg (min ${cpu.min.toFixed(1)}, max ${cpu.max.toFixed(1)}); ` +
        'server in its own process, neither pinned';
    } catch (error) {
      for (const row of rows) row.unavailable = messageOf(error);
    }
    return rows;
  },
};
