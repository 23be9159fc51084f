#!/usr/bin/env node
// Median cost of the schema-wasm hot paths, for the closing note and the README.
// Not a test: numbers vary between runs and machines. Run after `pnpm build`:
//   node scripts/measure.mjs            (or: pnpm --filter @deepwater/schema-wasm measure)
//
//   values[] --codec.encodeTuple--> DataView over one ArrayBuffer (1024 records, reused)
//   values[] --WASM packRecord--> linear memory --Uint8Array.set--> the same buffer
//   ts --TimeIndex.lowerBound (WASM) / lowerBoundJs--> entry, 2,000,000 entries

import os from 'node:os';
import { compileLayout, createCodec, TimeIndex } from '../dist/index.js';
// Measurement-only code, not exported from the package root.
import { lowerBoundJs } from '../dist/time-index.js';
import { createWasmPacker } from '../dist/wasm-packer.js';

const ROUNDS = 31;
const SLOTS = 1024;

/** { median, min } ns per op over ROUNDS rounds of `ops` calls to body(i). */
function measure(ops, body) {
  for (let i = 0; i < ops; i++) body(i); // warm up: let the JIT settle first
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) body(i);
    samples.push(Number(process.hrtime.bigint() - start) / ops);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[ROUNDS >> 1], min: samples[0] };
}

const layout = compileLayout(
  [
    { name: 'price', type: 'float64' },
    { name: 'size', type: 'float64' },
    { name: 'timestamp_us', type: 'uint64' },
  ],
  'timestamp_us',
);
const codec = createCodec(layout, { feedName: 'trades' });
const buffer = new ArrayBuffer(layout.recordSize * SLOTS);
const view = new DataView(buffer);
const bytes = new Uint8Array(buffer);
const base = 1_700_000_000_000_000;
const numberRows = Array.from({ length: SLOTS }, (_, i) => [100 + i * 0.01, i + 1, base + i]);
const bigintRows = numberRows.map(([p, s, t]) => [p, s, BigInt(t)]);
const objectRows = numberRows.map(([price, size, timestamp_us]) => ({ price, size, timestamp_us }));
// Results are consumed by a comparison, as a writer checks timestamp order; accumulating
// them into a variable would box each double and measure the harness instead.
let sink = 0;

const results = [];
const record = (name, ns) => results.push([name, ns]);
const PACK_OPS = 200_000;
const slot = (i) => (i & (SLOTS - 1)) * 24;

// Baseline from lessons.md: typed-array stores with the u64 as two 32-bit halves, no checks.
const f64 = new Float64Array(buffer);
const u32 = new Uint32Array(buffer);
record(
  'raw Float64Array + Uint32Array halves (no validation, baseline)',
  measure(PACK_OPS, (i) => {
    const row = numberRows[i & (SLOTS - 1)];
    const w = (i & (SLOTS - 1)) * 3;
    f64[w] = row[0];
    f64[w + 1] = row[1];
    u32[(w + 2) * 2] = row[2] >>> 0;
    u32[(w + 2) * 2 + 1] = (row[2] / 4294967296) >>> 0;
  }),
);
record(
  'codec.encodeTuple, number ts (validated)',
  measure(PACK_OPS, (i) => {
    if (codec.encodeTuple(view, slot(i), numberRows[i & (SLOTS - 1)]) < 0) sink++;
  }),
);
record(
  'codec.encodeTuple, bigint ts (validated, bigint made beforehand)',
  measure(PACK_OPS, (i) => {
    if (codec.encodeTuple(view, slot(i), bigintRows[i & (SLOTS - 1)]) < 0) sink++;
  }),
);
record(
  'codec.encodeTuple, bigint ts created per record (BigInt(ts))',
  measure(PACK_OPS, (i) => {
    const row = numberRows[i & (SLOTS - 1)];
    if (codec.encodeTuple(view, slot(i), [row[0], row[1], BigInt(row[2])]) < 0) sink++;
  }),
);
record(
  'codec.encodeTupleUnchecked, number ts',
  measure(PACK_OPS, (i) => {
    codec.encodeTupleUnchecked(view, slot(i), numberRows[i & (SLOTS - 1)]);
  }),
);
record(
  'codec.encodeObject, number ts (validated, key check)',
  measure(PACK_OPS, (i) => {
    if (codec.encodeObject(view, slot(i), objectRows[i & (SLOTS - 1)]) < 0) sink++;
  }),
);
const packer = createWasmPacker(layout);
record(
  'WASM packRecord + copy out (no validation)',
  measure(PACK_OPS, (i) => {
    packer.pack(bytes, slot(i), numberRows[i & (SLOTS - 1)]);
  }),
);
packer.dispose();
record(
  'codec.decodeTuple, int64 number',
  measure(PACK_OPS, (i) => {
    if (codec.decodeTuple(view, slot(i), 'number').length !== 3) sink++;
  }),
);

// Index: 2,000,000 keys with duplicates (4 records per microsecond step), random queries.
const ENTRIES = 2_000_000;
const keys = new Float64Array(ENTRIES);
const index = new TimeIndex({ initialCapacity: ENTRIES });
for (let i = 0; i < ENTRIES; i++) {
  keys[i] = base + Math.floor(i / 4);
  index.append(keys[i], i * 24);
}
let seed = 12345;
const queries = Float64Array.from({ length: 4096 }, () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return base + (seed % (ENTRIES / 4 + 10)) - 5;
});
for (const q of queries) {
  if (index.lowerBound(q) !== lowerBoundJs(keys, q)) throw new Error(`index disagrees at ${q}`);
}
const SEARCH_OPS = 100_000;
record(
  'TimeIndex.lowerBound over 2,000,000 entries (WASM)',
  measure(SEARCH_OPS, (i) => {
    if (index.lowerBound(queries[i & 4095]) < 0) sink++;
  }),
);
record(
  'lowerBoundJs over the same 2,000,000 keys (plain JS)',
  measure(SEARCH_OPS, (i) => {
    if (lowerBoundJs(keys, queries[i & 4095]) < 0) sink++;
  }),
);
index.dispose();

console.log(`schema-wasm measurements — ${new Date().toISOString()}`);
console.log(
  `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()}`,
);
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (other work skews the medians)`,
);
console.log(`${ROUNDS} rounds; 24-byte record <ddQ (price, size, timestamp_us)\n`);
const width = Math.max(...results.map(([name]) => name.length));
console.log(`${''.padEnd(width)}  median ns/op   min ns/op`);
for (const [name, { median, min }] of results) {
  console.log(`${name.padEnd(width)}  ${median.toFixed(1).padStart(12)}  ${min.toFixed(1).padStart(10)}`);
}
if (sink !== 0) console.log(`(unexpected: ${sink} negative results)`);
