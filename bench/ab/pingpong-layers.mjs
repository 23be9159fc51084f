// Cross-process ping-pong in layers, to see where a Deepwater round trip's ns go (issue 18).
// Each layer: two fresh processes pinned to cpus 0 (ping) and 1 (pong), the shape of the bench's
// node-shm-pingpong and dw-pingpong children (one clock read per round trip, RTT/2, p50 of the run):
//   atomics      one Int32 word each way over shm (the bench's baseline.node-shm)
//   ring-raw     @deepwater/ring directly: RingWriter.writeOne(encode 3 fields) / RingReader.readOne
//                decoding into a new [a, b, c]
//   <kind>-tuple the sdk: writeTuple(reused array) / stream() sync iterator
//   <kind>-values the sdk as the bench does: writeValues(a, b, c) / stream() sync iterator
//   <kind>-sync  the sdk: writeValues / stream().nextSync() (no iterator result objects)
// Usage (after a build): node bench/ab/pingpong-layers.mjs [rounds=3] [layers=all, comma list]
// SDK=<dist/index.js of another build> and RING=<its ring dist/index.js> run another build;
// BUILDS=A:<sdk>,B:<sdk> runs several builds interleaved (sdk layers only).
// ITER=<round trips> (default 200000, +10% warm-up).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const requireSdk = createRequire(join(here, '../../packages/sdk/package.json'));
const DEFAULT_SDK = pathToFileURL(requireSdk.resolve('@deepwater/sdk')).href;
const FIELDS = [
  { name: 'sent_ns', type: 'uint64' },
  { name: 'seq', type: 'uint64' },
  { name: 'price', type: 'float64' },
];
const STOP = 2 ** 40;

function monoNow() {
  const [s, n] = process.hrtime();
  return s * 1e9 + n;
}

async function child(role, layer, name, base, sdkPath, iterations) {
  const total = iterations + Math.max(10_000, iterations >> 3);
  const isPing = role === 'ping';
  let write; // (seq) => void
  let read; // () => seq of the record read
  let done = () => {};
  if (layer === 'atomics') {
    const native = await import('@deepwater/storage-native');
    const mapping = native.openShm(name, { size: 4096, create: true });
    const shared = new Int32Array(mapping.buffer, 0, 32);
    const out = isPing ? 0 : 16;
    const inp = isPing ? 16 : 0;
    let expect = 1;
    write = (seq) => Atomics.store(shared, out, seq);
    read = () => {
      for (;;) {
        const v = Atomics.load(shared, inp);
        if (v === expect || v === -1) {
          expect++;
          return v === -1 ? STOP : v;
        }
      }
    };
    done = () => {
      if (isPing) Atomics.store(shared, 0, -1);
      mapping.close();
    };
  } else if (layer === 'ring-raw') {
    const ringPath =
      process.env.RING ??
      pathToFileURL(createRequire(fileURLToPath(sdkPath)).resolve('@deepwater/ring')).href;
    const { RingWriter, RingReader, unlinkRing } = await import(ringPath);
    const mine = `${name}-${role}`;
    const theirs = `${name}-${isPing ? 'pong' : 'ping'}`;
    const writer = RingWriter.open(mine, { recordSize: 24, capacity: 1 << 20, timestampOffset: 0 });
    let reader = null;
    while (reader === null) reader = RingReader.tryOpen(theirs, { start: 'oldest' });
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
    write = (seq) => writer.writeOne(encode, seq);
    read = () => {
      for (;;) {
        const r = reader.readOne(decode, undefined);
        if (r !== undefined) return r[1];
      }
    };
    done = () => {
      reader.close();
      writer.close();
      try {
        unlinkRing(mine);
        rmSync(`/dev/shm/${mine}.lock`, { force: true });
      } catch {}
    };
  } else {
    const [kind, api] = layer.split('-');
    const { Platform } = await import(sdkPath);
    const platform = new Platform(base);
    const mine = `${kind}-${role}`;
    const theirs = `${kind}-${isPing ? 'pong' : 'ping'}`;
    const writer = platform.createWriter(mine);
    const stream = platform.createReader(theirs).stream({ fromSeq: 0 });
    if (api === 'tuple') {
      const row = [0, 0, 101.25];
      write = (seq) => {
        row[0] = seq;
        row[1] = seq;
        writer.writeTuple(row);
      };
    } else {
      write = (seq) => writer.writeValues(seq, seq, 101.25);
    }
    if (api === 'sync') {
      read = () => stream.nextSync()[1];
    } else {
      const it = stream[Symbol.iterator]();
      read = () => it.next().value[1];
    }
    done = () => {
      stream.close();
      writer.close();
      platform.close();
    };
  }
  if (!isPing) {
    for (let i = 0; i < total; i++) {
      const seq = read();
      if (seq >= STOP) break;
      write(seq);
    }
    done();
    return;
  }
  const samples = new Float64Array(total);
  let t0 = monoNow();
  let seq = 1;
  const deadline = t0 + 20e9;
  for (; seq <= total; seq++) {
    write(seq);
    const echo = read();
    const t1 = monoNow();
    if (echo !== seq) throw new Error(`ping ${seq} answered by ${echo}`);
    samples[seq - 1] = (t1 - t0) / 2;
    t0 = t1;
    if (t1 > deadline) break;
  }
  if (seq <= total) write(STOP);
  done();
  const measured = samples.subarray(total - iterations, Math.min(seq - 1, total)).sort();
  const q = (p) => measured[Math.min(measured.length - 1, Math.floor(p * measured.length))];
  process.stdout.write(`${JSON.stringify({ p50: q(0.5), p90: q(0.9), n: measured.length })}\n`);
}

function run(cpu, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      'taskset',
      ['-c', String(cpu), process.execPath, fileURLToPath(import.meta.url), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[1]} exited ${code}`))));
  });
}

async function parent() {
  const rounds = Number(process.argv[2] ?? 3);
  const all = [
    'atomics',
    'ring-raw',
    'ring-tuple',
    'ring-values',
    'ring-sync',
    'disk-tuple',
    'disk-values',
    'disk-sync',
  ];
  const layers = (process.argv[3] ?? all.join(',')).split(',');
  const builds = (process.env.BUILDS ?? `-:${process.env.SDK ?? DEFAULT_SDK}`).split(',').map((b) => {
    const i = b.indexOf(':');
    const path = b.slice(i + 1);
    return { tag: b.slice(0, i), sdk: path.startsWith('file:') ? path : pathToFileURL(path).href };
  });
  const iterations = String(Number(process.env.ITER ?? 200_000));
  const results = {};
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? builds : [...builds].reverse();
    for (const layer of layers) {
      for (const build of order) {
        if (builds.length > 1 && layer === 'atomics' && build !== builds[0]) continue;
        const base = mkdtempSync(join(tmpdir(), 'dw-h41-pp-'));
        const name = `dw-h41-pp-${process.pid}-${r}`;
        try {
          if (!['atomics', 'ring-raw'].includes(layer)) {
            const { Platform } = await import(build.sdk);
            const p = new Platform(base);
            const kind = layer.split('-')[0];
            for (const role of ['ping', 'pong'])
              p.createFeed({
                feedName: `${kind}-${role}`,
                fields: FIELDS,
                tsCol: 'sent_ns',
                persist: kind === 'disk',
                chunkSizeMb: 63,
              });
            p.close();
          }
          const args = (role) => ['child', role, layer, name, base, build.sdk, iterations];
          const pong = run(1, args('pong'));
          const out = await run(0, args('ping'));
          await pong;
          const { p50 } = JSON.parse(out);
          const key = `${layer}${builds.length > 1 ? ` ${build.tag}` : ''}`;
          results[key] ??= [];
          results[key].push(p50);
          console.log(`round ${r} ${key.padEnd(18)} p50 ${p50.toFixed(0)} ns`);
        } finally {
          if (!['atomics', 'ring-raw'].includes(layer)) {
            const { Platform } = await import(build.sdk);
            const p = new Platform(base);
            for (const kind of ['ring', 'disk'])
              for (const role of ['ping', 'pong']) p.deleteFeed(`${kind}-${role}`, { missingOk: true });
            p.close();
          }
          rmSync(base, { recursive: true, force: true });
          const native = await import('@deepwater/storage-native');
          native.unlinkShm(name);
        }
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log('layer              median p50 ns   (runs)');
  for (const [k, v] of Object.entries(results))
    console.log(
      `${k.padEnd(18)} ${median(v).toFixed(0).padStart(8)}   (${v.map((x) => x.toFixed(0)).join(' ')})`,
    );
}

if (process.argv[2] === 'child') await child(...process.argv.slice(3, 8), Number(process.argv[8]));
else await parent();
