import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileLayout,
  createCodec,
  type FieldSpec,
  type FieldType,
  type RecordCodec,
} from '../src/index.js';
import { FIELD_SIZES } from '../src/kinds.js';

// The batch decoders (decodeTuples/decodeObjects/decodeColumnsInto) have a typed-array path for
// naturally aligned layouts and runs and a DataView path otherwise. Both must agree, value for
// value and error for error, with the record-at-a-time decoders over the same bytes.

type Mode = 'number' | 'bigint';
const VALUE_TYPES: FieldType[] = [
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'char',
];

/** Field lists, each either naturally aligned (padding inserted as a C compiler would) or packed as declared. */
const schemaArb = fc
  .record({
    types: fc.array(fc.constantFrom(...VALUE_TYPES), { maxLength: 8 }),
    tsType: fc.constantFrom<FieldType>('uint64', 'int64'),
    tsAt: fc.nat(),
    aligned: fc.boolean(),
  })
  .map(({ types, tsType, tsAt, aligned }) => {
    const all = [...types];
    const tsIndex = tsAt % (all.length + 1);
    all.splice(tsIndex, 0, tsType);
    const fields: FieldSpec[] = [];
    let offset = 0;
    all.forEach((type, i) => {
      const size = FIELD_SIZES[type];
      if (aligned && offset % size !== 0) {
        const pad = size - (offset % size);
        fields.push({ name: `pad${i}`, type: `_${pad}` });
        offset += pad;
      }
      fields.push({ name: i === tsIndex ? 'ts' : `f${i}`, type });
      offset += size;
    });
    if (aligned && offset % 8 !== 0) fields.push({ name: 'tail', type: `_${8 - (offset % 8)}` });
    return fields;
  });

function codecFor(fields: FieldSpec[]): RecordCodec {
  return createCodec(compileLayout(fields, 'ts'), { feedName: 'prop' });
}

/** What decodeTuple gives for each record, or the message it throws. */
function reference(codec: RecordCodec, view: DataView, o: number, count: number, mode: Mode) {
  const rows: unknown[][] = [];
  try {
    for (let k = 0; k < count; k++) rows.push(codec.decodeTuple(view, o + k * codec.layout.recordSize, mode));
  } catch (error) {
    return { rows, error: (error as Error).message };
  }
  return { rows, error: undefined };
}

function columnValue(type: FieldType, value: unknown): unknown {
  return type === 'char' ? (value as string).charCodeAt(0) : value;
}

/** A run of `count` random records at byte `offset` of a view that itself starts `shift` bytes into its buffer. */
const caseArb = fc
  .tuple(schemaArb, fc.nat({ max: 40 }), fc.nat({ max: 9 }), fc.nat({ max: 9 }), fc.nat({ max: 3 }))
  .chain(([fields, count, offset, shift, at]) => {
    const codec = codecFor(fields);
    const bytes = offset + count * codec.layout.recordSize;
    return fc.record({
      codec: fc.constant(codec),
      count: fc.constant(count),
      offset: fc.constant(offset),
      at: fc.constant(at),
      shift: fc.constant(shift),
      data: fc.uint8Array({ minLength: bytes, maxLength: bytes }),
      // Mostly safe 64-bit values so 'number' mode decodes, sometimes raw bytes so it must refuse.
      tame: fc.boolean(),
    });
  });

interface Case {
  codec: RecordCodec;
  count: number;
  offset: number;
  shift: number;
  data: Uint8Array;
  tame: boolean;
}

function viewOf(c: Case): DataView {
  const buffer = new ArrayBuffer(c.shift + c.data.length + 5);
  new Uint8Array(buffer, c.shift).set(c.data);
  const view = new DataView(buffer, c.shift, c.data.length + 5);
  if (c.tame) {
    // Clear the top 16 bits of each 64-bit field: every value is then a safe integer.
    const size = c.codec.layout.recordSize;
    for (let k = 0; k < c.count; k++)
      for (const f of c.codec.layout.fields)
        if (f.size === 8 && f.type !== 'float64') view.setUint16(c.offset + k * size + f.offset + 6, 0, true);
  }
  return view;
}

describe.each(['number', 'bigint'] as const)('batch decoders (int64: %s)', (mode) => {
  it('decode every run exactly as decodeTuple does record by record, aligned or not', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { codec, count, offset, at } = c;
        const view = viewOf(c);
        const want = reference(codec, view, offset, count, mode);
        const tuples: unknown[] = new Array(at).fill('keep');
        const objects: Record<string, unknown>[] = [];
        const columns = codec.allocateColumns(at + count, mode);
        const runs = [
          () => codec.decodeTuples(view, offset, count, mode, tuples, at),
          () => codec.decodeObjects(view, offset, count, mode, objects, 0),
          () => codec.decodeColumnsInto(view, offset, count, mode, columns, at),
        ];
        if (want.error !== undefined) {
          for (const run of runs) expect(run).toThrow(want.error);
          return;
        }
        expect(runs[0]()).toBe(at + count);
        expect(tuples.slice(0, at)).toEqual(new Array(at).fill('keep'));
        expect(tuples.slice(at)).toEqual(want.rows);
        expect(runs[1]()).toBe(count);
        expect(objects).toEqual(
          want.rows.map((row) => Object.fromEntries(codec.fieldNames.map((n, i) => [n, row[i]]))),
        );
        expect(runs[2]()).toBe(at + count);
        for (const f of codec.layout.fields) {
          const column = Array.from(columns[f.name] as unknown as ArrayLike<unknown>);
          expect(column.slice(at)).toEqual(want.rows.map((row) => columnValue(f.type, row[f.index])));
          expect(column.slice(0, at).every((v) => v === 0 || v === 0n)).toBe(true);
        }
        expect(codec.decodeColumns(view, offset, count, mode)).toEqual(
          Object.fromEntries(
            Object.entries(columns).map(([n, col]) => [n, (col as unknown as Float64Array).subarray(at)]),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });
});
