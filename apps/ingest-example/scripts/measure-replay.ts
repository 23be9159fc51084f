/**
 * Replay throughput at --speed max, through the real websocket path:
 *
 *   ReplayServer (loopback ws) → Ingester (parse, gap checks) → sink
 *
 * with the server in this thread (the default of --replay) or in a worker (--replay-thread), into a
 * counting in-memory sink (the protocol path alone) and into Deepwater feeds.
 * Usage: node [--max-semi-space-size=64] --import tsx scripts/measure-replay.ts [frames=200000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepwaterSink } from '../src/feeds/deepwater-sink.js';
import { MemorySink } from '../src/feeds/memory-sink.js';
import type { IngestSink } from '../src/feeds/sink.js';
import { parseSession } from '../src/record/session-file.js';
import { replaySession } from '../src/replay.js';
import { DEFAULT_PLAN, generateSession } from './session-generator.js';

const target = Number(process.argv[2] ?? 200_000);
// ~90 frames per second of market time in the generator's default plan.
const plan = {
  ...DEFAULT_PLAN,
  segments: [{ durationMs: Math.ceil(target / 90) * 1000, ending: 'end' as const }],
};
const generated = generateSession(plan);
const segments = parseSession(generated.lines.join('\n'), 'generated');
const frames = segments.flat();
const dir = mkdtempSync(join(tmpdir(), 'dw-measure-'));
const file = join(dir, 'session.jsonl');
writeFileSync(file, `${generated.lines.join('\n')}\n`);
const bytes = frames.reduce((n, f) => n + Buffer.byteLength(f.data), 0);

async function measure(label: string, sink: IngestSink, thread: boolean): Promise<void> {
  const result = await replaySession({
    ...(thread ? { file, thread } : { segments }),
    sink,
    speed: 'max',
    ingester: { heartbeatTimeoutMs: 0, messageTimeoutMs: 0 },
  });
  const m = result.ingester.metrics.snapshot();
  const seconds = result.elapsedMs / 1000;
  const records = Object.values(m.recordsByFeed).reduce((n, r) => n + r.total, 0);
  console.log(
    `${label.padEnd(36)} ${m.messages.total} msgs in ${seconds.toFixed(2)} s = ${Math.round(m.messages.total / seconds).toLocaleString('en-US')} msg/s, ` +
      `${(bytes / seconds / 1e6).toFixed(1)} MB/s, ${Math.round(records / seconds).toLocaleString('en-US')} records/s; ` +
      `parse+write µs p50 ${m.latencyUs.p50.toFixed(1)} p99 ${m.latencyUs.p99.toFixed(1)} p99.9 ${m.latencyUs['p99.9'].toFixed(1)}`,
  );
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )}; replay --speed max: ${frames.length} frames (${(bytes / 1e6).toFixed(1)} MB), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);
try {
  await measure('warm-up', new MemorySink({ keep: false }), true);
  await measure('server in-process, memory sink', new MemorySink({ keep: false }), false);
  await measure('server thread, memory sink', new MemorySink({ keep: false }), true);
  const inline = new DeepwaterSink(join(dir, 'inline'));
  await measure('server in-process, Deepwater', inline, false);
  inline.close();
  const threaded = new DeepwaterSink(join(dir, 'thread'));
  await measure('server thread, Deepwater', threaded, true);
  threaded.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
