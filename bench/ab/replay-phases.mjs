// Where one raw or 1-thread columnar range() of a disk feed spends its CPU, against the C floor's
// steps (issue #20): each measurement a fresh process (run it under taskset -c 1), the feed filled
// (untimed) by the build under test in its own process first, then one child per measurement:
//   range    the whole range() (raw: default decodeThreads; columnar1: decodeThreads 1), then the
//            raw row's timestamp read (four records per Float64Array slot update, as dw-replay.ts)
//   steps    the same work from storage-native's calls over the feed's chunk files: map, populate
//            (MADV_POPULATE_READ, as the reader's cache), allocateBuffer (threads 1), copyBytes or
//            gatherFields (threads 1)
// CPU is process.resourceUsage (user + system), with minor faults. Builds interleaved:
//   A_SDK=<before>/packages/sdk/dist/index.js B_SDK=packages/sdk/dist/index.js \
//     taskset -c 1 node bench/ab/replay-phases.mjs [rounds=3] [records=10000000] [kinds=raw,columnar1]
// Only A_SDK: one build. storage-native is the build's sibling package (DEEPWATER_STORAGE_ADDON
// pins one addon file for both). CHUNK_MB sets the feed's chunkSizeMb (default 63, as the bench).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fillTicks } from './lib.mjs';

const FLAGS = ['--max-old-space-size=12288', '--expose-gc', '--initial-heap-size=4096'];
const RECORD = 24;
const DATA_OFFSET = 4096; // a chunk file's header page

function cpu() {
  const r = process.resourceUsage();
  return { ms: (r.userCPUTime + r.systemCPUTime) / 1e3, faults: r.minorPageFault };
}

function since(start) {
  const now = cpu();
  return { ms: +(now.ms - start.ms).toFixed(1), faults: now.faults - start.faults };
}

const slot = new Float64Array(1);
/** The raw row's read: each record's uint64 timestamp, four records per slot update. */
function readTimestamps(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  const stride = RECORD >> 2;
  slot[0] = 0;
  let i = 4;
  for (const last = words.length - 3 * stride; i < last; i += 4 * stride) {
    const j = i + stride;
    const k = j + stride;
    const l = k + stride;
    slot[0] +=
      words[i + 1] * 2 ** 32 +
      words[i] +
      (words[j + 1] * 2 ** 32 + words[j]) +
      (words[k + 1] * 2 ** 32 + words[k] + (words[l + 1] * 2 ** 32 + words[l]));
  }
  for (; i < words.length; i += stride) slot[0] += words[i + 1] * 2 ** 32 + words[i];
  return bytes.byteLength / RECORD;
}

async function fill(sdk, base, _kind, records) {
  const { Platform } = await import(pathToFileURL(sdk).href);
  const platform = new Platform(base);
  try {
    fillTicks(platform, 'f', records, Number(process.env.CHUNK_MB ?? 63));
  } finally {
    platform.close();
  }
}

async function range(sdk, base, kind, records) {
  const { Platform } = await import(pathToFileURL(sdk).href);
  const platform = new Platform(base);
  try {
    const reader = platform.createReader('f', kind === 'columnar1' ? { decodeThreads: 1 } : {});
    globalThis.gc();
    const start = cpu();
    const out = reader.range(0, records, { format: kind === 'raw' ? 'raw' : 'columnar' });
    const result = { range: since(start) };
    const read = cpu();
    const count = kind === 'raw' ? readTimestamps(out) : out.timestamp_ns.length;
    if (kind === 'raw') result.read = since(read);
    if (count !== records) throw new Error(`${kind}: ${count} records, expected ${records}`);
    reader.close();
    return result;
  } finally {
    platform.close();
  }
}

async function steps(sdk, base, kind, records) {
  const native = resolve(dirname(sdk), '../../storage-native/dist/index.js');
  const { allocateBuffer, copyBytes, gatherFields, mapFile } = await import(pathToFileURL(native).href);
  const dir = join(base, 'feeds', 'f');
  const files = readdirSync(dir)
    .filter((name) => name.startsWith('chunk-'))
    .sort();
  const result = {};
  let start = cpu();
  const maps = files.map((name) => mapFile(join(dir, name), { readOnly: true }));
  const views = maps.map((m) => new DataView(m.buffer));
  result.map = since(start);
  start = cpu();
  for (const m of maps) m.madvise('populate-read');
  result.populateRead = since(start);
  start = cpu();
  const out = allocateBuffer(records * RECORD, { threads: 1 });
  result.allocate = since(start);
  start = cpu();
  let done = 0;
  const columns = [0, 1, 2].map((c) => new Float64Array(out, c * records * 8, records));
  const plan = [
    { offset: 0, kind: 'copy8', target: columns[0] },
    { offset: 8, kind: 'copy8', target: columns[1] },
    { offset: 16, kind: 'uint64ToFloat64', target: columns[2] },
  ];
  for (const view of views) {
    const count = Math.min(Math.floor((view.byteLength - DATA_OFFSET) / RECORD), records - done);
    if (count <= 0) break;
    if (kind === 'raw') {
      copyBytes(new Uint8Array(out), done * RECORD, view, DATA_OFFSET, count * RECORD, { threads: 1 });
    } else if (gatherFields(view, DATA_OFFSET, RECORD, count, plan, done, { threads: 1 }) >= 0) {
      throw new Error('unsafe integer in the test feed');
    }
    done += count;
  }
  result[kind === 'raw' ? 'copy' : 'gather'] = since(start);
  if (kind === 'raw') {
    start = cpu();
    readTimestamps(new Uint8Array(out));
    result.read = since(start);
  }
  if (done !== records) throw new Error(`steps: ${done} records, expected ${records}`);
  for (const m of maps) m.close();
  return result;
}

if (process.env.AB_CHILD !== undefined) {
  const [what, base, kind, records] = process.argv.slice(2);
  const run = { fill, range, steps }[what];
  const result = await run(process.env.AB_CHILD, base, kind, Number(records));
  process.stdout.write(`RESULT ${JSON.stringify(result ?? {})}\n`);
} else {
  const builds = Object.entries({ A: process.env.A_SDK, B: process.env.B_SDK }).filter(([, p]) => p);
  if (builds.length === 0) throw new Error('set A_SDK (and B_SDK) to the sdk dist/index.js of the builds');
  const rounds = Number(process.argv[2] ?? 3);
  const records = Number(process.argv[3] ?? 10_000_000);
  const kinds = (process.argv[4] ?? 'raw,columnar1').split(',');
  const self = fileURLToPath(import.meta.url);
  const runChild = (sdk, args) => {
    const out = execFileSync(process.execPath, [...FLAGS, self, ...args], {
      env: { ...process.env, AB_CHILD: resolve(sdk) },
      encoding: 'utf8',
    });
    return JSON.parse(/^RESULT (.*)$/m.exec(out)[1]);
  };
  const results = {};
  for (let r = 0; r < rounds; r++) {
    for (const [tag, sdk] of r % 2 === 0 ? builds : [...builds].reverse()) {
      const base = mkdtempSync(join(tmpdir(), 'ab-replay-phases-'));
      try {
        runChild(sdk, ['fill', base, 'raw', String(records)]);
        for (const kind of kinds) {
          for (const what of ['range', 'steps']) {
            const result = runChild(sdk, [what, base, kind, String(records)]);
            for (const [step, { ms, faults }] of Object.entries(result)) {
              const key = `${kind} ${what}.${step}`;
              results[key] ??= {};
              results[key][tag] ??= [];
              results[key][tag].push({ ms, faults });
            }
          }
        }
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`${builds.map(([t, p]) => `${t}=${p}`).join('\n')}\n${records} records, ${rounds} rounds`);
  console.log('step'.padEnd(30) + builds.map(([t]) => `${t} CPU ms (faults)`.padEnd(22)).join(''));
  for (const [step, byTag] of Object.entries(results)) {
    const cells = builds.map(([t]) => {
      const runs = byTag[t] ?? [];
      const ms = median(runs.map((x) => x.ms));
      const faults = median(runs.map((x) => x.faults));
      return `${ms.toFixed(1)} (${faults})`.padEnd(22);
    });
    const all = builds.map(([t]) => (byTag[t] ?? []).map((x) => x.ms.toFixed(0)).join(' ')).join(' | ');
    console.log(`${step.padEnd(30)}${cells.join('')}  [${all}]`);
  }
}
