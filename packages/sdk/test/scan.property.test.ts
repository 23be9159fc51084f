// scan() must yield exactly the records range() returns, and scanSeq() those rangeSeq() returns,
// for any schema (every field type, padding, alignable or not), any query, disk and ring, across
// chunk boundaries, holes (a removed middle chunk) and ring overwrites; and every record's $seq
// must name the record it shows.
import { unlinkSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Platform, Reader } from '../src/index.js';
import { setChunkState } from '../src/ops/feed-files.js';
import { CHUNK_REMOVED } from '../src/registry/layout.js';
import { useTempBase } from './helpers/temp-base.js';
import { chunkPath, withRegistry } from './ops/helpers/corrupt.js';

const VALUE_TYPES = [
  'float64',
  'float32',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'uint64',
  'int64',
  'char',
] as const;
type ValueType = (typeof VALUE_TYPES)[number];

interface Schema {
  /** Declared fields in order; padding entries have type `_N`. */
  fields: { name: string; type: string }[];
  tsType: 'uint64' | 'int64';
  /** Records per timestamp value (repeats make ties at the bounds). */
  repeat: number;
}

const TS_BASE = 1_000_000;

const SIZES: Readonly<Record<string, number>> = {
  float64: 8,
  float32: 4,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  uint64: 8,
  int64: 8,
  char: 1,
};

/** The value record `i` stores in value field `k` (deterministic, valid for its type). */
function storedValue(type: ValueType, i: number, k: number): number | string {
  switch (type) {
    case 'float64':
      return i * 0.25 - k;
    case 'float32':
      return Math.fround(i * 0.5 + k);
    case 'int8':
      return ((i * 3 + k) % 256) - 128;
    case 'uint8':
      return (i * 7 + k) % 256;
    case 'int16':
      return ((i * 31 + k) % 65_536) - 32_768;
    case 'uint16':
      return (i * 131 + k) % 65_536;
    case 'int32':
      return Math.imul(i + 1, 0x9e3779b1) ^ k;
    case 'uint32':
      return (Math.imul(i + 7, 0x85ebca6b) ^ k) >>> 0;
    case 'uint64':
      return i * 1_000_003 + k;
    case 'int64':
      return 0 - i * 1_000_003 - k; // never -0, which an int64 cannot hold
    case 'char':
      return String.fromCharCode(32 + ((i + k) % 200));
  }
}

const valueFields = (schema: Schema) => schema.fields.filter((f) => !f.type.startsWith('_'));

/** Record i as written (a tuple of the value fields, the timestamp among them). */
function recordOf(schema: Schema, i: number): (number | string)[] {
  return valueFields(schema).map((f, k) =>
    f.name === 'ts' ? TS_BASE + Math.floor(i / schema.repeat) : storedValue(f.type as ValueType, i, k),
  );
}

/** Record i as a reader in `int64` mode returns it. */
function readBack(schema: Schema, i: number, int64: 'number' | 'bigint'): unknown[] {
  const fields = valueFields(schema);
  return recordOf(schema, i).map((v, k) =>
    int64 === 'bigint' && (fields[k].type === 'uint64' || fields[k].type === 'int64') ? BigInt(v) : v,
  );
}

const schemaArb: fc.Arbitrary<Schema> = fc
  .record({
    values: fc.array(fc.constantFrom(...VALUE_TYPES), { minLength: 0, maxLength: 6 }),
    padding: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })), {
      minLength: 7,
      maxLength: 7,
    }),
    // Widest first, no padding: every field naturally aligned (otherwise packed, padded layouts).
    aligned: fc.boolean(),
    tsAt: fc.nat(),
    tsType: fc.constantFrom('uint64' as const, 'int64' as const),
    repeat: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ values, padding, aligned, tsAt, tsType, repeat }) => {
    const types: string[] = [...values];
    types.splice(tsAt % (values.length + 1), 0, tsType);
    if (aligned) types.sort((a, b) => SIZES[b] - SIZES[a]);
    const fields: { name: string; type: string }[] = [];
    types.forEach((type, k) => {
      if (!aligned && padding[k] > 0) fields.push({ name: `pad${k}`, type: `_${padding[k]}` });
      fields.push({ name: type === tsType && !fields.some((f) => f.name === 'ts') ? 'ts' : `f${k}`, type });
    });
    return { fields, tsType, repeat };
  });

function recordSizeOf(schema: Schema): number {
  return schema.fields.reduce(
    (n, f) => n + (f.type.startsWith('_') ? Number(f.type.slice(1)) : SIZES[f.type]),
    0,
  );
}

/** Scans [start, end) and checks it against range() and against what record $seq holds. */
function checkScan(
  r: Reader,
  schema: Schema,
  start: number,
  end: number,
  int64: 'number' | 'bigint',
  present: (seq: number) => boolean,
): void {
  const names = valueFields(schema).map((f) => f.name);
  const tuples: unknown[][] = [];
  const seqs: number[] = [];
  for (const rec of r.scan(start, end)) {
    const tuple = rec.toTuple();
    // The getters, toTuple, toObject and $ts agree, and the record is the one $seq names.
    expect(names.map((name) => rec[name])).toEqual(tuple);
    expect(rec.toObject()).toEqual(Object.fromEntries(names.map((name, k) => [name, tuple[k]])));
    expect(rec.$ts).toEqual(rec.ts);
    expect(tuple).toEqual(readBack(schema, rec.$seq, int64));
    tuples.push(tuple);
    seqs.push(rec.$seq);
  }
  expect(tuples).toEqual(r.range(start, end));
  for (let k = 1; k < seqs.length; k++) expect(seqs[k]).toBeGreaterThan(seqs[k - 1]);
  // Nothing held in the span is left out: every present seq whose ts is in [start, end) appears.
  const tsOf = (i: number) => TS_BASE + Math.floor(i / schema.repeat);
  const lo = seqs.length === 0 ? undefined : seqs[0];
  if (lo !== undefined) {
    for (let i = lo; i <= seqs[seqs.length - 1]; i++) {
      if (present(i) && tsOf(i) >= start && tsOf(i) < end) expect(seqs).toContain(i);
    }
  }
}

/** scanSeq(from, to) against rangeSeq(from, to): the same records, each at the $seq it names, in order. */
function checkScanSeq(r: Reader, schema: Schema, from: number, to: number, int64: 'number' | 'bigint'): void {
  const tuples: unknown[][] = [];
  const seqs: number[] = [];
  for (const rec of r.scanSeq(from, to)) {
    const tuple = rec.toTuple();
    expect(tuple).toEqual(readBack(schema, rec.$seq, int64));
    expect(rec.$seq).toBeGreaterThanOrEqual(from);
    expect(rec.$seq).toBeLessThan(to);
    tuples.push(tuple);
    seqs.push(rec.$seq);
  }
  expect(tuples).toEqual(r.rangeSeq(from, to));
  for (let k = 1; k < seqs.length; k++) expect(seqs[k]).toBeGreaterThan(seqs[k - 1]);
}

const query = fc.tuple(fc.integer({ min: -3, max: 90 }), fc.integer({ min: -1, max: 90 }));
/** [from, from + width) in seqs: past the end, empty and reversed spans included. */
const seqQuery = fc.tuple(fc.integer({ min: 0, max: 160 }), fc.integer({ min: -2, max: 160 }));

describe('scan() / scanSeq() yield exactly what range() / rangeSeq() return', () => {
  const t = useTempBase();
  let run = 0;

  function feed(p: Platform, schema: Schema, extra: Record<string, unknown>): string {
    const name = `scan-${run++}`;
    p.createFeed({ feedName: name, fields: schema.fields, tsCol: 'ts', ...extra });
    return name;
  }

  it('disk feeds: any schema and query, across chunk boundaries and a removed middle chunk', () => {
    fc.assert(
      fc.property(
        schemaArb,
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.constantFrom('number' as const, 'bigint' as const),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        fc.array(seqQuery, { minLength: 1, maxLength: 4 }),
        (schema, count, perChunk, hole, int64, queries, seqQueries) => {
          const p = t.platform();
          const name = feed(p, schema, { chunkSizeBytes: perChunk * recordSizeOf(schema) });
          const w = p.createWriter(name);
          for (let i = 0; i < count; i++) w.writeTuple(recordOf(schema, i));
          w.close();
          const chunks = Math.ceil(count / perChunk);
          let removed = -1;
          if (hole && chunks >= 3) {
            removed = 1 + Math.floor(chunks / 2);
            withRegistry(t.base(), (registry) => setChunkState(registry, removed, CHUNK_REMOVED), name);
            unlinkSync(chunkPath(t.base(), removed, name));
          }
          const present = (seq: number) => seq < count && Math.floor(seq / perChunk) + 1 !== removed;
          const r = p.createReader(name, { int64 });
          for (const [a, width] of queries) {
            const start = TS_BASE + a;
            checkScan(r, schema, start, start + width, int64, present);
          }
          for (const [from, width] of seqQueries) checkScanSeq(r, schema, from, from + width, int64);
          r.close();
          p.deleteFeed(name);
        },
      ),
      { numRuns: 40, seed: 20_20 },
    );
  });

  it('ring feeds: any schema and query, after the writer lapped the ring', () => {
    fc.assert(
      fc.property(
        schemaArb,
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 4, max: 40 }),
        fc.constantFrom('number' as const, 'bigint' as const),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        fc.array(seqQuery, { minLength: 1, maxLength: 4 }),
        (schema, count, capacity, int64, queries, seqQueries) => {
          const p = t.platform();
          const name = feed(p, schema, {
            persist: false,
            chunkSizeBytes: capacity * recordSizeOf(schema),
          });
          const w = p.createWriter(name);
          const r = p.createReader(name, { int64 });
          try {
            for (let i = 0; i < count; i++) w.writeTuple(recordOf(schema, i));
            const held = r.range(0, Number.MAX_SAFE_INTEGER).length;
            const present = (seq: number) => seq < count && seq >= count - held;
            for (const [a, width] of queries) {
              const start = TS_BASE + a;
              checkScan(r, schema, start, start + width, int64, present);
            }
            for (const [from, width] of seqQueries) checkScanSeq(r, schema, from, from + width, int64);
          } finally {
            r.close();
            w.close();
            p.deleteFeed(name); // the ring's shm object goes with it, also when a check failed
          }
        },
      ),
      { numRuns: 60, seed: 20_21 },
    );
  });
});
