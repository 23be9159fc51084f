// The ingest replay (bench row ingest.replay vs ingest.replay.memory-sink) of one or two builds, A/B:
// each measurement is the bench's own child (dist/ingest/replay-child.js) in a fresh process, the
// sinks and builds interleaved, the same session files for all. Usage:
//   node bench/ab/ingest-sink.mjs [frames=100000] [rounds=3] [sinks=memory,deepwater] [builds=<bench dir>,...]
// builds: bench directories (default: this one), e.g. /tmp/before/bench,bench. NODE_ARGS="--cpu-prof
// --cpu-prof-dir=/tmp/p" adds node flags. Prints per run and per (build, sink) the median CPU µs/msg,
// and any extra numeric fields a (locally instrumented) child adds to its result.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = resolve(new URL('..', import.meta.url).pathname);
const frames = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const sinks = (process.argv[4] ?? 'memory,deepwater').split(',');
const builds = (process.argv[5] ?? here).split(',').map((b) => resolve(b));
const nodeArgs = (process.env.NODE_ARGS ?? '').split(' ').filter(Boolean);

const dir = mkdtempSync(join(tmpdir(), 'dw-ingest-ab-'));
try {
  const { writeSession } = await import(pathToFileURL(join(builds[0], 'dist/ingest/session.js')).href);
  const session = await writeSession(join(dir, 'session.jsonl'), frames);
  const warmUp = await writeSession(join(dir, 'warm-up.jsonl'), 20_000);
  const results = new Map();
  let n = 0;
  for (let round = 0; round < rounds; round++) {
    const order = [];
    for (const build of builds) for (const sink of sinks) order.push({ build, sink });
    if (round % 2 === 1) order.reverse();
    for (const { build, sink } of order) {
      const params = {
        base: join(dir, `base-${n}`),
        file: session.path,
        frames: session.frames,
        warmUpFile: warmUp.path,
        sink,
      };
      const out = execFileSync(process.execPath, [...nodeArgs, join(build, 'dist/ingest/replay-child.js')], {
        env: { ...process.env, DW_BENCH_PARAMS: JSON.stringify(params) },
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      if (process.env.RAW) process.stderr.write(out);
      rmSync(params.base, { recursive: true, force: true });
      rmSync(`${params.base}-warm-up`, { recursive: true, force: true });
      n++;
      const message = JSON.parse(out.trim().split('\n').pop());
      if (message.type !== 'result') throw new Error(`${build} ${sink}: ${message.message}`);
      const r = message.result;
      const key = `${build} ${sink}`;
      if (!results.has(key)) results.set(key, []);
      results.get(key).push(r.cpuMicrosPerMessage);
      const extra = Object.entries(r).filter(
        ([k]) => !['latency', 'messages', 'records', 'seconds', 'cpuMicrosPerMessage'].includes(k),
      );
      console.log(
        `${key}: ${r.cpuMicrosPerMessage.toFixed(2)} µs/msg, ${(r.messages / r.seconds).toFixed(0)} msg/s ${extra.map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(2) : JSON.stringify(v)}`).join(' ')}`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [key, xs] of results)
    console.log(`MEDIAN ${key}: ${median(xs).toFixed(2)} µs/msg (${xs.map((x) => x.toFixed(2)).join(' ')})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
