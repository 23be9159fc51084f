// What V8's "external memory pressure" GCs cost the rows that map chunks (issue #20): a raw and a
// 1-thread columnar range() over a 10 M-record disk feed of 24-byte records, and disk writeBatch
// (×1000 per call, as write.disk.writeBatch.24B) of the same 10 M. Each run is a fresh process
// under --trace-gc; the measured phase sits between two gc() calls ("testing" in the trace), and
// the GCs inside it are summed by reason: count, main-thread pause (the "a / b ms" of each line
// plus the incremental marking steps of a Mark-Compact) against the phase's CPU and wall time.
// Interleaves builds A and B (run it under taskset -c 1):
//   A_SDK=<before>/packages/sdk/dist/index.js B_SDK=<after>/packages/sdk/dist/index.js \
//     node bench/ab/gc-map.mjs [rounds=3] [records=10000000] [modes=raw,columnar1,writeBatch]
// Only A_SDK set: measures one build. CHUNK_MB=<n> sets the feed's chunkSizeMb (default 64).
// TRACE_DIR=<dir> keeps each child's trace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TICK_FIELDS } from './lib.mjs';

const BATCH = 1000;

function fill(writer, from, records) {
  const rows = Array.from({ length: BATCH }, () => [101.25, 3, 0]);
  for (let done = from; done < from + records; done += BATCH) {
    for (let i = 0; i < BATCH; i++) rows[i][2] = done + i;
    writer.writeBatch(rows);
  }
}

export let sink = 0;
function checksumRaw(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  let sum = 0;
  for (let i = 4; i < words.length; i += 6) sum += words[i + 1] * 2 ** 32 + words[i];
  sink += sum;
  return bytes.byteLength / 24;
}

async function child(sdkPath, mode, records) {
  const { Platform } = await import(pathToFileURL(sdkPath).href);
  const base = mkdtempSync(join(tmpdir(), 'ab-gc-map-'));
  const platform = new Platform(base);
  try {
    platform.createFeed({
      feedName: 'f',
      fields: TICK_FIELDS,
      tsCol: 'timestamp_ns',
      persist: true,
      chunkSizeMb: Number(process.env.CHUNK_MB ?? 64),
    });
    const writer = platform.createWriter('f');
    let phase;
    if (mode === 'writeBatch') {
      phase = () => fill(writer, 0, records);
    } else {
      fill(writer, 0, records);
      writer.close();
      const reader = platform.createReader('f', mode === 'columnar1' ? { decodeThreads: 1 } : {});
      phase = () => {
        const out = reader.range(0, records, { format: mode === 'raw' ? 'raw' : 'columnar' });
        const count = mode === 'raw' ? checksumRaw(out) : out.timestamp_ns.length;
        if (count !== records) throw new Error(`${mode}: ${count} records, expected ${records}`);
      };
    }
    globalThis.gc();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    phase();
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    globalThis.gc();
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    platform.close();
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * The phase's lines of --trace-gc --trace-incremental-marking (between the last two "testing"
 * collections, the gc() calls around it): incremental markings started for external memory
 * pressure, and the main-thread pause of every collection in it (the "a / b ms" of each line plus
 * a Mark-Compact's incremental steps).
 */
function gcInPhase(trace) {
  const lines = trace.split('\n').filter((l) => l.startsWith('['));
  // gc() finishes a marking in progress first (also "testing", with its steps): not a marker.
  const testing = lines.flatMap((l, i) =>
    /ms: Mark-Compact.*testing/.test(l) && !l.includes('since start of marking') ? [i] : [],
  );
  const phase = lines.slice(testing.at(-2) + 1, testing.at(-1));
  const gc = { pressureStarts: 0, markCompacts: 0, markCompactMs: 0, scavenges: 0, scavengeMs: 0 };
  for (const line of phase) {
    if (line.includes('Start (external memory pressure)')) gc.pressureStarts++;
    const pause = /MB, ([\d.]+) \/ ([\d.]+) ms/.exec(line);
    if (pause === null) continue;
    const steps = /\+ ([\d.]+) ms in \d+ steps/.exec(line);
    const ms = Number(pause[1]) + Number(steps?.[1] ?? 0);
    if (/ms: Mark-Compact/.test(line)) {
      gc.markCompacts++;
      gc.markCompactMs += ms;
    } else {
      gc.scavenges++;
      gc.scavengeMs += ms;
    }
  }
  return gc;
}

if (process.env.AB_CHILD !== undefined) {
  const result = await child(process.env.AB_CHILD, process.argv[2], Number(process.argv[3]));
  process.stdout.write(`\nRESULT ${JSON.stringify(result)}\n`);
} else {
  const builds = Object.entries({ A: process.env.A_SDK, B: process.env.B_SDK }).filter(([, p]) => p);
  if (builds.length === 0) throw new Error('set A_SDK (and B_SDK) to the sdk dist/index.js of the builds');
  const rounds = Number(process.argv[2] ?? 3);
  const records = Number(process.argv[3] ?? 10_000_000);
  const modes = (process.argv[4] ?? 'raw,columnar1,writeBatch').split(',');
  const self = fileURLToPath(import.meta.url);
  const flags = [
    '--trace-gc',
    '--trace-incremental-marking',
    '--expose-gc',
    '--max-old-space-size=12288',
    '--initial-heap-size=4096',
  ];
  const results = {};
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      for (const [tag, sdk] of r % 2 === 0 ? builds : [...builds].reverse()) {
        const out = execFileSync(process.execPath, [...flags, self, mode, String(records)], {
          env: { ...process.env, AB_CHILD: sdk },
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        });
        // V8's trace goes through C stdio and may land after the result line.
        const result = JSON.parse(/^RESULT (.*)$/m.exec(out)[1]);
        const gc = gcInPhase(out);
        if (process.env.TRACE_DIR)
          writeFileSync(join(process.env.TRACE_DIR, `${mode}-${tag}-${r + 1}.txt`), out);
        results[`${mode} ${tag}`] ??= [];
        results[`${mode} ${tag}`].push({ ...result, ...gc });
        console.log(
          `round ${r + 1} ${mode} ${tag}: wall ${result.wallMs.toFixed(0)} ms, CPU ${result.cpuMs.toFixed(0)} ms; ` +
            `${gc.pressureStarts} markings started for external memory pressure, ` +
            `${gc.markCompacts} Mark-Compact ${gc.markCompactMs.toFixed(1)} ms pause ` +
            `(${((100 * gc.markCompactMs) / result.cpuMs).toFixed(1)}% of CPU), ` +
            `${gc.scavenges} Scavenge ${gc.scavengeMs.toFixed(1)} ms`,
        );
      }
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  for (const [key, list] of Object.entries(results)) {
    console.log(
      `${key}: median wall ${median(list.map((x) => x.wallMs)).toFixed(0)} ms, CPU ${median(list.map((x) => x.cpuMs)).toFixed(0)} ms, ` +
        `pressure markings ${median(list.map((x) => x.pressureStarts))}, Mark-Compacts ${median(list.map((x) => x.markCompacts))} ` +
        `${median(list.map((x) => x.markCompactMs)).toFixed(1)} ms pause`,
    );
  }
}
