// The Parquet writer choice, measured (README "Why parquet-wasm"): one writer per process, 1 M
// rows of price/size/timestamp (float64, uint32, uint64) from a feed to a zstd Parquet file.
//   --writer wasm    exportFeed (parquet-wasm, what the package uses)
//   --writer duckdb  the same columnar batches into DuckDB through its appender (data chunks of
//                    2048 rows, the vector size) and COPY … TO; DuckDB cannot scan Arrow without its
//                    arrow extension, which it downloads at run time, so the appender is its feed
// Interleave them pinned: for i in 1 2 3; do for w in wasm duckdb; do taskset -c 1 node --import tsx
// scripts/parquet-writers.ts --writer $w; done; done. Prints one JSON line (CPU time of all threads).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Platform } from '@deepwater/sdk';
import { DOUBLE, DuckDBDataChunk, DuckDBInstance, UBIGINT, UINTEGER } from '@duckdb/node-api';
import { exportFeed } from '../src/index.js';

const { values } = parseArgs({ options: { writer: { type: 'string', default: 'wasm' } } });
const ROWS = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'dw-parquet-writers-'));
const platform = new Platform(join(dir, 'base'));
platform.createFeed({
  feedName: 'ticks',
  fields: [
    { name: 'price', type: 'float64' },
    { name: 'size', type: 'uint32' },
    { name: 'ts', type: 'uint64' },
  ],
  tsCol: 'ts',
});
const price = new Float64Array(ROWS);
const size = new Uint32Array(ROWS);
const ts = new BigUint64Array(ROWS);
for (let i = 0, x = 100; i < ROWS; i++) {
  x += (((i * 7919) % 13) - 6) / 100;
  price[i] = Math.round(x * 100) / 100;
  size[i] = 1 + ((i * 31) % 500);
  ts[i] = 1_764_151_200_000_000n + BigInt(i * 37);
}
const writer = platform.createWriter('ticks');
writer.writeColumns({ price, size, ts });
writer.close();
const out = join(dir, 'ticks.parquet');

const cpu0 = process.cpuUsage();
const wall0 = performance.now();
let copyOnlyCpuMs: number | undefined;
if (values.writer === 'wasm') {
  await exportFeed({ base: platform, feed: 'ticks', format: 'parquet', out, compression: 'zstd' });
} else {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run('CREATE TABLE ticks (price DOUBLE, size UINTEGER, ts UBIGINT)');
  const appender = await connection.createAppender('ticks');
  const reader = platform.createReader('ticks', { int64: 'bigint' });
  const batches = reader.rangeBatches(0, Number.POSITIVE_INFINITY, {
    format: 'columnar',
    int64: 'bigint',
    batchSize: 2048,
  });
  for (const columns of batches) {
    const n = (columns.ts as unknown as BigUint64Array).length;
    const chunk = DuckDBDataChunk.create([DOUBLE, UINTEGER, UBIGINT], n);
    chunk.setColumns([
      Array.from(columns.price as unknown as Float64Array),
      Array.from(columns.size as unknown as Uint32Array),
      Array.from(columns.ts as unknown as BigUint64Array),
    ]);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  reader.close();
  const copy0 = process.cpuUsage();
  await connection.run(`COPY ticks TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
  const copy = process.cpuUsage(copy0);
  copyOnlyCpuMs = (copy.user + copy.system) / 1000;
  connection.closeSync();
  db.closeSync();
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  JSON.stringify({
    writer: values.writer,
    wallMs: Math.round(performance.now() - wall0),
    cpuMs: Math.round(cpuMs),
    mRowsPerCpuSecond: Number((ROWS / cpuMs / 1000).toFixed(2)),
    fileMB: Number((statSync(out).size / 1e6).toFixed(2)),
    ...(copyOnlyCpuMs === undefined ? {} : { copyOnlyCpuMs: Math.round(copyOnlyCpuMs) }),
  }),
);
platform.close();
rmSync(dir, { recursive: true, force: true });
