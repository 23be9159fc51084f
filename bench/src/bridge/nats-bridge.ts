/**
 * The NATS JetStream bridge (@deepwater/bridge-nats), against a nats-server its script starts:
 *
 *   source feed ──replicate──▶ JetStream ──mirror──▶ local feed     throughput (24-byte records)
 *   writeValues ─────────────────────────────────▶ readable in the mirror's feed   latency
 *   NATS core request/reply through the same server                  the floor of the same run
 *
 * The measurement is packages/bridge-nats/scripts/bench.ts (run with tsx); without nats-server on
 * the PATH every row says why instead of vanishing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LatencySummary } from '../core/histogram.js';
import { type ResultRow, unavailableRows } from '../core/result.js';
import type { Scenario } from '../core/scenario.js';

export const NATS_FLOOR_ROW_ID = 'baseline.nats-request-reply';
const SCRIPT = fileURLToPath(new URL('../../../packages/bridge-nats/scripts/bench.ts', import.meta.url));
const RECORDS = 1_000_000;
const LATENCY_SAMPLES = 1_000;

interface BridgeBenchResult {
  records: number;
  rate: number;
  latency: LatencySummary;
  floor: LatencySummary;
}

function runScript(records: number, samples: number): Promise<BridgeBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', SCRIPT, String(records), String(samples), '--json'],
      {
        cwd: fileURLToPath(new URL('../../../packages/bridge-nats/', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BRIDGE_BENCH '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`bridge bench exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      resolve(JSON.parse(line.slice('BRIDGE_BENCH '.length)) as BridgeBenchResult);
    });
  });
}

export const natsBridge: Scenario = {
  id: 'bridge.nats',
  title: 'NATS JetStream bridge (replicate → JetStream → mirror)',
  async run(context) {
    const rowShapes = [
      {
        id: 'bridge.nats.throughput',
        section: 'NATS JetStream bridge (loopback)',
        label: 'replicate→JetStream→mirror, 24 B records',
      },
      {
        id: 'bridge.nats.latency',
        section: 'NATS JetStream bridge (loopback)',
        label: 'writeValues → readable in the mirror @500/s',
      },
      {
        id: NATS_FLOOR_ROW_ID,
        section: 'NATS JetStream bridge (loopback)',
        label: 'NATS core request/reply round trip',
      },
    ];
    try {
      execFileSync('nats-server', ['--version'], { stdio: 'ignore' });
    } catch {
      const reason =
        'NATS bridge rows unavailable: nats-server is not installed (apt-get install nats-server)';
      console.log(reason);
      return unavailableRows(rowShapes, reason);
    }
    try {
      context.log('NATS bridge: replicate → JetStream → mirror on loopback');
      const result = await runScript(RECORDS, LATENCY_SAMPLES);
      const note = `${result.records.toLocaleString()} records; mirror and replicator are two processes`;
      const rows: ResultRow[] = [
        { ...rowShapes[0], metric: { kind: 'rate', reps: [result.rate], bytesPerRecord: 24 }, note },
        { ...rowShapes[1], metric: { kind: 'latency', reps: [result.latency] } },
        { ...rowShapes[2], metric: { kind: 'latency', reps: [result.floor] } },
      ];
      return rows;
    } catch (error) {
      const reason = `NATS bridge rows unavailable: ${error instanceof Error ? error.message : String(error)}`;
      console.log(reason);
      return unavailableRows(rowShapes, reason);
    }
  },
};
