/**
 * Replay throughput at --speed max, through the real websocket path:
 *
 *   ReplayServer (loopback ws) → Ingester (parse, gap checks) → sink
 *
 * with the server in a child process (--replay-process), a worker thread (--replay-thread) or this
 * thread (the default of --replay), into Deepwater feeds and into a counting in-memory sink (the
 * protocol path alone). Each case runs `runs` times and its median is printed, since the machine is
 * usually shared. It measures the built code (dist/, what `deepwater-ingest` runs): build first.
 * Usage: pnpm --filter @deepwater/ingest-example... build
 *        node --import tsx scripts/measure-replay.ts [frames=200000] [runs=1]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_PLAN,
  DeepwaterSink,
  generateSession,
  type IngestSink,
  MemorySink,
  parseSession,
  type RecordedFrame,
  type ReplayServerPlacement,
  readSession,
  replaySession,
} from '../dist/index.js';

const target = Number(process.argv[2] ?? 200_000);
const runs = Number(process.argv[3] ?? 1);
// ~90 frames per second of market time in the generator's default plan.
const plan = {
  ...DEFAULT_PLAN,
  segments: [{ durationMs: Math.ceil(target / 90) * 1000, ending: 'end' as const }],
};
const dir = mkdtempSync(join(tmpdir(), 'dw-measure-'));
const file = join(dir, 'session.jsonl');
// The generated session is only kept where the server needs it: with the server in a thread, the
// ingesting thread's heap holds no session, as in `ingest --replay <file>`.
const { frameCount, bytes } = (() => {
  const text = generateSession(plan).lines.join('\n');
  writeFileSync(file, `${text}\n`);
  const frames = parseSession(text, 'generated').flat();
  return { frameCount: frames.length, bytes: frames.reduce((n, f) => n + Buffer.byteLength(f.data), 0) };
})();

async function measureOnce(
  label: string,
  sink: IngestSink,
  server: ReplayServerPlacement,
  segments: RecordedFrame[][] | null,
): Promise<number> {
  let cpuBefore = process.cpuUsage();
  const result = await replaySession({
    // From the ingester's start: loading the session into the server is not replay work.
    onStart: () => {
      cpuBefore = process.cpuUsage();
    },
    ...(server === 'inline' ? { segments: segments ?? [] } : { file, server }),
    sink,
    speed: 'max',
    ingester: { heartbeatTimeoutMs: 0, messageTimeoutMs: 0 },
  });
  // CPU time of this process per message (both threads with a worker; not the server's with a child
  // process): unlike msg/s, barely moved by other processes competing for the cores.
  const cpu = process.cpuUsage(cpuBefore);
  const m = result.ingester.metrics.snapshot();
  const seconds = result.elapsedMs / 1000;
  const records = Object.values(m.recordsByFeed).reduce((n, r) => n + r.total, 0);
  console.log(
    `${label.padEnd(36)} ${m.messages.total} msgs in ${seconds.toFixed(2)} s = ${Math.round(m.messages.total / seconds).toLocaleString('en-US')} msg/s, ` +
      `${(bytes / seconds / 1e6).toFixed(1)} MB/s, ${Math.round(records / seconds).toLocaleString('en-US')} records/s; ` +
      `parse+write µs p50 ${m.latencyUs.p50.toFixed(1)} p99 ${m.latencyUs.p99.toFixed(1)} p99.9 ${m.latencyUs['p99.9'].toFixed(1)}; ` +
      `CPU ${((cpu.user + cpu.system) / m.messages.total).toFixed(1)} µs/msg`,
  );
  return m.messages.total / seconds;
}

/** Runs one case `runs` times (a fresh sink each time) and prints the median rate. */
async function measure(
  label: string,
  makeSink: (run: number) => { sink: IngestSink; close(): void },
  server: ReplayServerPlacement,
  segments: RecordedFrame[][] | null = null,
): Promise<void> {
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { sink, close } = makeSink(run);
    try {
      rates.push(await measureOnce(label, sink, server, segments));
    } finally {
      close();
    }
  }
  if (runs > 1) {
    rates.sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)];
    console.log(
      `${`${label}: median of ${runs}`.padEnd(36)} ${Math.round(median).toLocaleString('en-US')} msg/s`,
    );
  }
}

const memory = () => ({ sink: new MemorySink({ keep: false }), close: () => {} });
const deepwater = (name: string) => (run: number) => {
  const sink = new DeepwaterSink(join(dir, `${name}-${run}`));
  return { sink, close: () => sink.close() };
};

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )}; replay --speed max: ${frameCount} frames (${(bytes / 1e6).toFixed(1)} MB), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);
try {
  await measureOnce('warm-up', new MemorySink({ keep: false }), 'process', null);
  await measure('server process, Deepwater', deepwater('process'), 'process');
  await measure('server process, memory sink', memory, 'process');
  await measure('server thread, Deepwater', deepwater('thread'), 'thread');
  const segments = await readSession(file);
  await measure('server in-process, Deepwater', deepwater('inline'), 'inline', segments);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
