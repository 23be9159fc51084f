/**
 * Where the end-to-end latency goes: records written one at a time at a fixed rate (ts = wall clock
 * µs at write), the bridge's two processes started as in scripts/bench.ts, and each record's age
 * taken at three points seen from this process:
 *   local     — a reader of the source feed here (the sdk's futex wake-up: what the replicator pays first)
 *   published — a NATS core subscription to the records subject (replicator + one server hop)
 *   mirrored  — a reader of the mirror's feed (+ JetStream store, consumer delivery, mirror write, wake-up)
 *
 *   pnpm --filter @deepwater/bridge-nats build && node --import tsx scripts/latency-stages.ts [samples] [rate/s]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Platform } from '@deepwater/sdk';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '../test/helpers/nats-server.js';

const CLI = process.env.BRIDGE_CLI ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SAMPLES = Number(process.argv[2] ?? 1000);
const RATE = Number(process.argv[3] ?? 500);
const FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

function bridge(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** SIGTERM, then wait for the exit: a bridge rewrites its status file as it stops (in the base). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
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

/**
 * The server's own path without Deepwater: publish to a stream (file storage, as the bridge's) and
 * receive it on an ordered consumer, one message at a time at the same rate, two connections.
 */
async function jetStreamFloor(url: string, samples: number): Promise<number[]> {
  const pub = await connect({ servers: url });
  const sub = await connect({ servers: url });
  const jsm = await jetstreamManager(pub);
  await jsm.streams.add({ name: 'FLOOR', subjects: ['floor.>'] });
  const consumer = await jetstream(sub).consumers.get('FLOOR', { deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume({ max_messages: 64 });
  const ages: number[] = [];
  const receiving = (async () => {
    for await (const m of messages) {
      ages.push(nowUs() - Number(new DataView(m.data.buffer, m.data.byteOffset).getBigUint64(16, true)));
      if (ages.length >= samples) break;
    }
  })();
  const js = jetstream(pub);
  const payload = new Uint8Array(24);
  const view = new DataView(payload.buffer);
  for (let i = 0; i < samples; i++) {
    await sleep(1000 / RATE);
    view.setBigUint64(16, BigInt(nowUs()), true);
    void js.publish('floor.x', payload);
  }
  await receiving;
  await jsm.streams.delete('FLOOR');
  await sub.close();
  await pub.close();
  return ages;
}

const server = await startNatsServer();
const src = mkdtempSync(join(tmpdir(), 'dw-stages-src-'));
const dst = mkdtempSync(join(tmpdir(), 'dw-stages-dst-'));
try {
  const p = new Platform(src);
  p.createFeed({ feedName: 'ticks', fields: FIELDS, tsCol: 'timestamp_us' });
  const w = p.createWriter('ticks');
  w.writeValues(0, 0, nowUs()); // creates the stream and schema
  const common = ['--server', server.url, '--connect-attempts', '3'];
  const rep = bridge(['replicate', ...common, '-b', src, '--feed', 'ticks', '--base-id', 'lat']);
  await sleep(1500);
  const mir = bridge(['mirror', ...common, '-b', dst, '--feed', 'copy', '--stream', 'DW_LAT_TICKS']);
  while ((await feedCount(dst, 'copy')) < 1) await sleep(10);

  const stages = {
    local: [] as number[],
    published: [] as number[],
    mirrored: [] as number[],
    jetstreamFloor: [] as number[],
  };
  const local = p.createReader('ticks').stream({ fromSeq: 1 });
  const localDone = (async () => {
    for await (const t of local) {
      stages.local.push(nowUs() - Number((t as unknown[])[2]));
      if (stages.local.length >= SAMPLES) break;
    }
  })();
  const nc = await connect({ servers: server.url });
  const sub = nc.subscribe('deepwater.lat.ticks.records');
  const publishedDone = (async () => {
    for await (const m of sub) {
      const at = nowUs();
      const view = new DataView(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      for (let o = 0; o + 24 <= m.data.byteLength; o += 24) {
        stages.published.push(at - Number(view.getBigUint64(o + 16, true)));
      }
      if (stages.published.length >= SAMPLES) break;
    }
  })();
  await nc.flush();
  const mp = new Platform(dst);
  const mirrored = mp.createReader('copy').stream({ fromSeq: 1 });
  const mirroredDone = (async () => {
    for await (const t of mirrored) {
      stages.mirrored.push(nowUs() - Number((t as unknown[])[2]));
      if (stages.mirrored.length >= SAMPLES) break;
    }
  })();
  for (let i = 1; i <= SAMPLES; i++) {
    await sleep(1000 / RATE);
    w.writeValues(i, 1, nowUs());
  }
  await Promise.all([localDone, publishedDone, mirroredDone]);
  sub.unsubscribe();
  await nc.close();
  await Promise.all([stop(mir), stop(rep)]);
  w.close();
  p.close();
  mp.close();
  stages.jetstreamFloor = await jetStreamFloor(server.url, SAMPLES);
  console.log(`${SAMPLES} records at ${RATE}/s; age on arrival (µs):`);
  for (const [name, ages] of Object.entries(stages)) {
    ages.sort((a, b) => a - b);
    console.log(
      `  ${name.padEnd(14)} p50 ${pct(ages, 0.5).toFixed(0).padStart(6)}  p90 ${pct(ages, 0.9).toFixed(0).padStart(6)}  p99 ${pct(ages, 0.99).toFixed(0).padStart(6)}`,
    );
  }
} finally {
  rmSync(src, { recursive: true, force: true });
  rmSync(dst, { recursive: true, force: true });
  await server.dispose();
}
