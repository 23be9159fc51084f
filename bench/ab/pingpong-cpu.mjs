// The ping-pong's CPU per message in one process (write one record, read it back; no second core),
// in the layers of pingpong-layers.mjs, for one or more sdk builds interleaved. Each (build, kind)
// runs in a fresh process pinned to cpu 1 that uses one storage kind only, as a ping-pong child
// does (with both, the stream's call sites see two sources and V8 optimises them differently).
// CPU ns per message, best of 5 blocks of N messages, median over rounds. Usage:
//   node bench/ab/pingpong-cpu.mjs [rounds=5]
//   BUILDS=A:<before>/packages/sdk/dist/index.js,B:<after>/packages/sdk/dist/index.js ...
// Rows: ring-raw (RingWriter.writeOne + RingReader.readOne into a new [a, b, c]), then per kind
// tuple+tryNext (writeTuple of a reused array), values+tryNext, values+iter (the bench's pair:
// writeValues, then the sync iterator's next()), values+nextSync; idle rows: one poll that finds
// nothing (a spinning reader's loop at the live head).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_SDK = createRequire(join(here, '../../packages/sdk/package.json')).resolve('@deepwater/sdk');
const builds = (process.env.BUILDS ?? `-:${DEFAULT_SDK}`).split(',').map((b) => {
  const i = b.indexOf(':');
  return { tag: b.slice(0, i), path: b.slice(i + 1) };
});
for (const b of builds) {
  b.sdk = await import(pathToFileURL(b.path).href);
  b.ring = await import(pathToFileURL(createRequire(b.path).resolve('@deepwater/ring')).href);
}
const FIELDS = [
  { name: 'sent_ns', type: 'uint64' },
  { name: 'seq', type: 'uint64' },
  { name: 'price', type: 'float64' },
];
const N = 200_000;
const rounds = Number(process.argv[2] === 'child' ? 1 : (process.argv[2] ?? 5));

function cpu(fn) {
  let best = Infinity;
  for (let b = 0; b < 5; b++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    best = Math.min(best, ((d.user + d.system) * 1000) / N);
  }
  return best;
}

let seq = 1;
function rawRound(build, out) {
  const name = `dw-h41-cpu-${process.pid}`;
  const { RingWriter, RingReader, unlinkRing } = build.ring;
  const w = RingWriter.open(name, { recordSize: 24, capacity: 1 << 16, timestampOffset: 0 });
  const r = RingReader.open(name, { start: 'latest' });
  const encode = (view, o, v) => {
    view.setFloat64(o, v, true);
    view.setFloat64(o + 8, v, true);
    view.setFloat64(o + 16, 101.25, true);
  };
  const decode = (view, o) => [
    view.getFloat64(o, true),
    view.getFloat64(o + 8, true),
    view.getFloat64(o + 16, true),
  ];
  out['ring-raw'] = cpu(() => {
    for (let i = 0; i < N; i++) {
      w.writeOne(encode, seq++);
      if (r.readOne(decode, undefined)[1] !== seq - 1) throw new Error('mismatch');
    }
  });
  while (r.readOne(decode, undefined) !== undefined);
  out['ring-raw idle readOne'] = cpu(() => {
    for (let i = 0; i < N; i++) if (r.readOne(decode, undefined) !== undefined) throw new Error('not idle');
  });
  r.close();
  w.close();
  unlinkRing(name);
  rmSync(`/dev/shm/${name}.lock`, { force: true });
}

function sdkRound(build, kind, base, out) {
  const p = new build.sdk.Platform(base);
  const name = `${kind}${Math.random().toString(36).slice(2, 8)}`;
  p.createFeed({
    feedName: name,
    fields: FIELDS,
    tsCol: 'sent_ns',
    persist: kind === 'disk',
    chunkSizeMb: 63,
  });
  const w = p.createWriter(name);
  const s = p.createReader(name).stream();
  const it = s[Symbol.iterator]();
  const row = [0, 0, 101.25];
  out[`${kind} tuple+tryNext`] = cpu(() => {
    for (let i = 0; i < N; i++) {
      row[0] = row[1] = seq++;
      w.writeTuple(row);
      if (s.tryNext()[1] !== seq - 1) throw new Error('mismatch');
    }
  });
  out[`${kind} values+tryNext`] = cpu(() => {
    for (let i = 0; i < N; i++) {
      w.writeValues(seq, seq++, 101.25);
      if (s.tryNext()[1] !== seq - 1) throw new Error('mismatch');
    }
  });
  out[`${kind} values+iter`] = cpu(() => {
    for (let i = 0; i < N; i++) {
      w.writeValues(seq, seq++, 101.25);
      if (it.next().value[1] !== seq - 1) throw new Error('mismatch');
    }
  });
  out[`${kind} values+nextSync`] = cpu(() => {
    for (let i = 0; i < N; i++) {
      w.writeValues(seq, seq++, 101.25);
      if (s.nextSync()[1] !== seq - 1) throw new Error('mismatch');
    }
  });
  out[`${kind} idle tryNext`] = cpu(() => {
    for (let i = 0; i < N; i++) if (s.tryNext() !== undefined) throw new Error('not idle');
  });
  it.return();
  w.close();
  p.deleteFeed(name);
  p.close();
}

if (process.argv[2] === 'child') {
  const [, , , tag, kind] = process.argv;
  const build = builds.find((b) => b.tag === tag);
  const out = {};
  if (kind === 'raw') rawRound(build, out);
  else {
    const base = mkdtempSync(join(tmpdir(), 'dw-h41-cpu-'));
    try {
      sdkRound(build, kind, base, out);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }
  process.stdout.write(JSON.stringify(out));
} else {
  const results = {};
  for (let i = 0; i < rounds; i++) {
    for (const kind of ['raw', 'ring', 'disk']) {
      for (const build of i % 2 === 0 ? builds : [...builds].reverse()) {
        const run = spawnSync(
          'taskset',
          ['-c', '1', process.execPath, fileURLToPath(import.meta.url), 'child', build.tag, kind],
          {
            env: process.env,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        if (run.status !== 0) throw new Error(`${build.tag} ${kind} exited ${run.status}`);
        for (const [row, ns] of Object.entries(JSON.parse(run.stdout))) {
          results[row] ??= {};
          results[row][build.tag] ??= [];
          results[row][build.tag].push(ns);
        }
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(
    `row                   ${builds.map((b) => b.tag.padStart(8)).join('')}   (CPU ns/message, median of ${rounds} processes)`,
  );
  for (const [row, v] of Object.entries(results))
    console.log(
      `${row.padEnd(22)}${builds.map((b) => median(v[b.tag]).toFixed(1).padStart(8)).join('')}   ${builds.map((b) => v[b.tag].map((x) => x.toFixed(0)).join(' ')).join(' | ')}`,
    );
}
