/**
 * replicate → JetStream → mirror on loopback, against a nats-server this script starts:
 * - throughput: N 24-byte records already in the source feed; `deepwater-bridge replicate` and
 *   `mirror` run as two processes; rate = records / time from the mirror's first record to its last.
 * - latency: records written one at a time at a fixed rate, their ts = wall clock µs at write; the
 *   mirror's feed is streamed in this process and each record's age on arrival is recorded.
 * - floor: NATS core request/reply round trip through the same server, same run.
 *
 *   pnpm --filter @deepwater/bridge-nats build && node --import tsx scripts/bench.ts [records] [latencySamples] [--json]
 *
 * With --json the last stdout line is `BRIDGE_BENCH {…}` (rates in rec/s, latencies in ns), which
 * `pnpm bench` (bench/src/bridge/nats-bridge.ts) reads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Platform } from '@deepwater/sdk';
import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '../test/helpers/nats-server.js';

/** BRIDGE_CLI=path runs another build (A/B runs). */
const CLI = process.env.BRIDGE_CLI ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const JSON_OUTPUT = process.argv.includes('--json');
const RECORDS = Number(positional[0] ?? 2_000_000);
const LATENCY_SAMPLES = Number(positional[1] ?? 2_000);
const LATENCY_RATE = 500; // records per second, at most (timer-paced)
const FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/** Percentiles in ns from sorted µs samples (the shape of the bench harness's LatencySummary). */
function summaryNs(sortedUs: number[]) {
  const ns = (us: number) => Math.round(us * 1000);
  return {
    count: sortedUs.length,
    min: ns(sortedUs[0] ?? 0),
    mean: ns(sortedUs.reduce((a, b) => a + b, 0) / Math.max(1, sortedUs.length)),
    p50: ns(pct(sortedUs, 0.5)),
    p90: ns(pct(sortedUs, 0.9)),
    p99: ns(pct(sortedUs, 0.99)),
    p999: ns(pct(sortedUs, 0.999)),
    max: ns(sortedUs[sortedUs.length - 1] ?? 0),
  };
}

/** Bridge processes still running: stopped however this script ends, so none outlives it. */
const running = new Set<ChildProcess>();
const stopping = new WeakSet<ChildProcess>();
const bridgeFailures: string[] = [];

function bridge(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  running.add(child);
  child.once('exit', (code, signal) => {
    running.delete(child);
    if (code !== 0 && !stopping.has(child)) {
      bridgeFailures.push(`deepwater-bridge ${args[0]} exited with ${code ?? signal}`);
    }
  });
  return child;
}

/** A wait for a bridge's progress fails at once when a bridge died, instead of waiting forever. */
function assertBridgesAlive(): void {
  if (bridgeFailures.length > 0) throw new Error(bridgeFailures.join('; '));
}

/** SIGTERM, then wait for the exit: a bridge rewrites its status file as it stops (in the base). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function killRunningBridges(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.once('exit', killRunningBridges);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunningBridges();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

async function feedCount(base: string, feed: string): Promise<number> {
  if (!existsSync(join(base, 'feeds', feed))) return 0;
  const p = new Platform(base);
  try {
    if (!p.listFeeds().some((f) => f.name === feed)) return 0;
    const r = p.createReader(feed);
    const n = r.nextSeq();
    r.close();
    return n;
  } finally {
    p.close();
  }
}

async function requestReplyFloor(url: string, samples: number): Promise<number[]> {
  const responder = await connect({ servers: url });
  const requester = await connect({ servers: url });
  responder.subscribe('bench.echo', {
    callback: (_e, m) => {
      m.respond(m.data);
    },
  });
  await responder.flush();
  const payload = new Uint8Array(24);
  const times: number[] = [];
  for (let i = 0; i < samples + 200; i++) {
    const t0 = performance.now();
    await requester.request('bench.echo', payload, { timeout: 1000 });
    if (i >= 200) times.push((performance.now() - t0) * 1000);
  }
  await requester.close();
  await responder.close();
  return times.sort((a, b) => a - b);
}

async function throughput(url: string): Promise<{ rate: number; seconds: number }> {
  const src = mkdtempSync(join(tmpdir(), 'dw-bench-src-'));
  const dst = mkdtempSync(join(tmpdir(), 'dw-bench-dst-'));
  try {
    const p = new Platform(src);
    p.createFeed({ feedName: 'trades', fields: FIELDS, tsCol: 'timestamp_us' });
    const w = p.createWriter('trades');
    const batch: number[][] = [];
    for (let i = 0; i < RECORDS; i++) {
      batch.push([i, 1, 1_700_000_000_000_000 + i]);
      if (batch.length === 10_000) w.writeBatch(batch.splice(0));
    }
    if (batch.length > 0) w.writeBatch(batch);
    w.close();
    p.close();
    const common = ['--server', url, '--connect-attempts', '3'];
    const rep = bridge([
      'replicate',
      ...common,
      '-b',
      src,
      '--feed',
      'trades',
      '--base-id',
      'bench',
      '--until-caught-up',
    ]);
    // The mirror needs the stream (and its schema message): start it once the stream has records.
    const jsc = await connect({ servers: url });
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const jsm = await jetstreamManager(jsc);
    for (;;) {
      const info = await jsm.streams.info('DW_BENCH_TRADES').catch(() => undefined);
      if (info !== undefined && info.state.messages > 1) break;
      assertBridgesAlive();
      await sleep(5);
    }
    await jsc.close();
    const mir = bridge(['mirror', ...common, '-b', dst, '--feed', 'copy', '--stream', 'DW_BENCH_TRADES']);
    let first = 0;
    let t0 = 0;
    for (;;) {
      const n = await feedCount(dst, 'copy');
      if (n > 0 && t0 === 0) {
        t0 = performance.now();
        first = n;
      }
      if (n >= RECORDS) break;
      assertBridgesAlive();
      await sleep(2);
    }
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all([stop(mir), stop(rep)]);
    return { rate: (RECORDS - first) / seconds, seconds };
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(dst, { recursive: true, force: true });
  }
}

async function latency(url: string): Promise<number[]> {
  const src = mkdtempSync(join(tmpdir(), 'dw-bench-src-'));
  const dst = mkdtempSync(join(tmpdir(), 'dw-bench-dst-'));
  try {
    const p = new Platform(src);
    p.createFeed({ feedName: 'ticks', fields: FIELDS, tsCol: 'timestamp_us' });
    const w = p.createWriter('ticks');
    w.writeValues(0, 0, nowUs()); // creates the stream and schema
    const common = ['--server', url, '--connect-attempts', '3'];
    const rep = bridge(['replicate', ...common, '-b', src, '--feed', 'ticks', '--base-id', 'lat']);
    await sleep(1500);
    const mir = bridge(['mirror', ...common, '-b', dst, '--feed', 'copy', '--stream', 'DW_LAT_TICKS']);
    while ((await feedCount(dst, 'copy')) < 1) {
      assertBridgesAlive();
      await sleep(10);
    }
    const mp = new Platform(dst);
    const stream = mp.createReader('copy').stream({ fromSeq: 1 });
    const ages: number[] = [];
    const reading = (async () => {
      for await (const t of stream) {
        ages.push(nowUs() - Number((t as unknown[])[2]));
        if (ages.length >= LATENCY_SAMPLES) break;
      }
    })();
    // Paced with timers (not a spin): the bridge's two processes need the cores.
    for (let i = 1; i <= LATENCY_SAMPLES; i++) {
      await sleep(1000 / LATENCY_RATE);
      w.writeValues(i, 1, nowUs());
    }
    while (ages.length < LATENCY_SAMPLES) {
      assertBridgesAlive();
      await sleep(10);
    }
    await reading;
    await Promise.all([stop(mir), stop(rep)]);
    w.close();
    p.close();
    mp.close();
    return ages.sort((a, b) => a - b);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(dst, { recursive: true, force: true });
  }
}

const server = await startNatsServer();
try {
  const floor = await requestReplyFloor(server.url, 5_000);
  const t = await throughput(server.url);
  const ages = await latency(server.url);
  const mb = (t.rate * 24) / 1e6;
  if (JSON_OUTPUT) {
    console.log(
      `BRIDGE_BENCH ${JSON.stringify({ records: RECORDS, rate: t.rate, latency: summaryNs(ages), floor: summaryNs(floor) })}`,
    );
  }
  console.log(`records: ${RECORDS} x 24 B; latency samples: ${ages.length} at ${LATENCY_RATE}/s`);
  console.log(
    `throughput replicate→JetStream→mirror: ${Math.round(t.rate).toLocaleString()} rec/s (${mb.toFixed(1)} MB/s) over ${t.seconds.toFixed(2)} s`,
  );
  console.log(
    `end-to-end latency writeValues→mirror feed: p50 ${pct(ages, 0.5).toFixed(0)} µs, p99 ${pct(ages, 0.99).toFixed(0)} µs`,
  );
  console.log(
    `NATS core request/reply floor:          p50 ${pct(floor, 0.5).toFixed(0)} µs, p99 ${pct(floor, 0.99).toFixed(0)} µs`,
  );
  console.log(`p50 / floor p50: ${(pct(ages, 0.5) / pct(floor, 0.5)).toFixed(1)}x`);
} finally {
  await Promise.all([...running].map(stop));
  await server.dispose();
}
