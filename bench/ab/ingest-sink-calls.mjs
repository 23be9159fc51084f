// The ingest replay's sink calls alone: a replay (inline server) is recorded once as the exact
// sequence of ProductSink calls (product, kind, rows), then replayed in a tight loop into a fresh
// DeepwaterSink (after a warm-up pass into another base) and into a counting MemorySink: the CPU
// µs per message each sink's calls cost (rows refilled in pooled arrays, as the ingester does; the
// refill is in both sinks' figures), without websocket, parse or server. Usage, pinned:
//   taskset -c 1 node bench/ab/ingest-sink-calls.mjs [frames=100000] [rounds=3] [app=apps/ingest-example/dist/index.js]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = resolve(new URL('../..', import.meta.url).pathname);
const frames = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const appPath = resolve(process.argv[4] ?? join(here, 'apps/ingest-example/dist/index.js'));
const app = await import(pathToFileURL(appPath).href);
const { writeSession } = await import(pathToFileURL(join(here, 'bench/dist/ingest/session.js')).href);
const dir = mkdtempSync(join(tmpdir(), 'dw-sink-calls-'));
try {
  const session = await writeSession(join(dir, 's.jsonl'), frames);
  const calls = [];
  const products = [];
  const recorder = {
    openProduct(productId) {
      const p = products.push(productId) - 1;
      const inner = new app.MemorySink({ keep: false }).openProduct(productId);
      const rec = (kind) => (rows) =>
        calls.push([p, kind, kind === 2 ? rows.slice() : rows.map((r) => r.slice())]);
      return { ...inner, writeTrades: rec(0), writeBook: rec(1), writeEvent: rec(2) };
    },
    flush() {},
    close() {},
  };
  const result = await app.replaySession({
    file: session.path,
    server: 'process',
    sink: recorder,
    speed: 'max',
    ingester: { heartbeatTimeoutMs: 0, messageTimeoutMs: 0 },
  });
  const messages = result.ingester.metrics.messages.total;
  console.log(
    `${messages} messages, ${calls.length} sink calls, ${calls.reduce((s, c) => s + (c[1] === 2 ? 1 : c[2].length), 0)} records`,
  );
  // As the ingester does: each call's rows are pooled arrays refilled in place (hot in cache).
  const pool = products.map(() => [[], [], []]);
  const batch = [];
  const run = (sink) => {
    const ps = products.map((id) => sink.openProduct(id));
    const c0 = process.cpuUsage();
    for (const [p, kind, rows] of calls) {
      const s = ps[p];
      if (kind === 2) {
        if (pool[p][2][0] === undefined) pool[p][2][0] = rows.slice();
        const row = pool[p][2][0];
        for (let j = 0; j < rows.length; j++) row[j] = rows[j];
        s.writeEvent(row);
        continue;
      }
      const rowPool = pool[p][kind];
      batch.length = rows.length;
      for (let i = 0; i < rows.length; i++) {
        if (rowPool[i] === undefined) rowPool[i] = rows[i].slice();
        const row = rowPool[i];
        const src = rows[i];
        for (let j = 0; j < src.length; j++) row[j] = src[j];
        batch[i] = row;
      }
      if (kind === 0) s.writeTrades(batch);
      else s.writeBook(batch);
    }
    const c = process.cpuUsage(c0);
    for (const s of ps) s.close();
    sink.close();
    return (c.user + c.system) / messages;
  };
  const out = { deepwater: [], memory: [] };
  run(new app.DeepwaterSink(join(dir, 'warm')));
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 ? ['memory', 'deepwater'] : ['deepwater', 'memory']) {
      const base = join(dir, `b${r}`);
      out[kind].push(
        run(kind === 'memory' ? new app.MemorySink({ keep: false }) : new app.DeepwaterSink(base)),
      );
      rmSync(base, { recursive: true, force: true });
    }
  }
  for (const [k, v] of Object.entries(out)) {
    const s = [...v].sort((a, b) => a - b);
    const line = v.map((x) => x.toFixed(3)).join(' ');
    console.log(`${k}: min ${s[0].toFixed(3)} median ${s[s.length >> 1].toFixed(3)} µs/msg (${line})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
