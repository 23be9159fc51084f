import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileLayout,
  createCodec,
  type FieldSpec,
  type FieldType,
  type RecordCodec,
} from '../src/index.js';

type Mode = 'number' | 'bigint';
const SENTINEL = 0x5a;
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

/** A declared field list: value fields f0..fn at random with padding between, plus a ts column somewhere. */
const schemaArb = fc
  .record({
    pieces: fc.array(fc.oneof(fc.constantFrom(...VALUE_TYPES), fc.integer({ min: 1, max: 13 })), {
      maxLength: 12,
    }),
    tsType: fc.constantFrom('uint64', 'int64'),
    tsAt: fc.nat(),
  })
  .map(({ pieces, tsType, tsAt }) => {
    const fields: FieldSpec[] = pieces.map((piece, i) =>
      typeof piece === 'number' ? { name: `pad${i}`, type: `_${piece}` } : { name: `f${i}`, type: piece },
    );
    fields.splice(tsAt % (fields.length + 1), 0, { name: 'ts', type: tsType });
    return fields;
  });

function valueArb(type: FieldType, mode: Mode): fc.Arbitrary<unknown> {
  switch (type) {
    case 'uint8':
      return fc.integer({ min: 0, max: 255 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'uint32':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'int32':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'uint64':
      return mode === 'bigint'
        ? fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
        : fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(Number);
    case 'int64':
      return mode === 'bigint'
        ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
        : fc.bigInt({ min: -(2n ** 53n - 1n), max: 2n ** 53n - 1n }).map(Number);
    case 'float32':
      return fc.float();
    case 'float64':
      return fc.double();
    case 'char':
      return fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code));
  }
}

/** Values that must be rejected for a field of this type. */
function invalidArb(type: FieldType): fc.Arbitrary<unknown> {
  const common = fc.constantFrom<unknown>(undefined, null, 'xy', '77', {}, [], true);
  switch (type) {
    case 'float32':
    case 'float64':
      return fc.oneof(common, fc.bigInt());
    case 'char':
      return fc.oneof(
        common,
        fc.constantFrom('', 'ab', 'Ā', '€'),
        fc.integer({ min: 256, max: 1e6 }),
        fc.integer({ min: -1e6, max: -1 }),
        fc.double({ min: 0.1, max: 254.9 }).filter((d) => !Number.isInteger(d)),
      );
    case 'uint64':
    case 'int64': {
      const [min, max] = type === 'uint64' ? [0n, 2n ** 64n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
      return fc.oneof(
        common,
        fc.bigInt({ min: max + 1n, max: max + 2n ** 70n }),
        fc.bigInt({ min: min - 2n ** 70n, max: min - 1n }),
        fc.constantFrom(2 ** 53, -(2 ** 53), 1e300, 0.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY),
        ...(type === 'uint64' ? [fc.integer({ min: -1e9, max: -1 })] : []),
      );
    }
    default: {
      const bits = Number(type.replace(/\D/g, ''));
      const signed = type.startsWith('int');
      const min = signed ? -(2 ** (bits - 1)) : 0;
      const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      return fc.oneof(
        common,
        fc.bigInt({ min: -10n, max: 10n }),
        fc.integer({ min: max + 1, max: max + 1e6 }),
        fc.integer({ min: min - 1e6, max: min - 1 }),
        fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      );
    }
  }
}

/** What a decoder returns for a value written in a given mode. */
function expected(type: FieldType, value: unknown, mode: Mode): unknown {
  if (type === 'float32') return Math.fround(value as number);
  if (type === 'uint64' || type === 'int64')
    return mode === 'bigint' ? BigInt(value as number | bigint) : value;
  return value;
}

function columnValue(type: FieldType, value: unknown, mode: Mode): unknown {
  if (type === 'char') return (value as string).charCodeAt(0);
  return expected(type, value, mode);
}

function build(fields: FieldSpec[]) {
  const layout = compileLayout(fields, 'ts', { feedName: 'prop' });
  return { layout, codec: createCodec(layout, { feedName: 'prop' }) };
}

function rowsArb(codec: RecordCodec, mode: Mode, maxLength = 4) {
  return fc.array(fc.tuple(...codec.layout.fields.map((f) => valueArb(f.type, mode))), {
    minLength: 1,
    maxLength,
  });
}

function byTimestamp(layout: { tsIndex: number }) {
  return (a: readonly unknown[], b: readonly unknown[]) => {
    const x = BigInt(a[layout.tsIndex] as number | bigint);
    const y = BigInt(b[layout.tsIndex] as number | bigint);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function sentinelView(bytes: number): DataView {
  const buffer = new ArrayBuffer(bytes);
  new Uint8Array(buffer).fill(SENTINEL);
  return new DataView(buffer);
}

function toObject(codec: RecordCodec, values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(codec.fieldNames.map((name, i) => [name, values[i]]));
}

describe.each(['number', 'bigint'] as const)('codec round trips (int64: %s)', (mode) => {
  it('decodes exactly what was encoded, as tuples, objects and columns', () => {
    fc.assert(
      fc.property(
        schemaArb.chain((fields) => {
          const built = build(fields);
          return fc.tuple(fc.constant(built), rowsArb(built.codec, mode), fc.nat({ max: 9 }), fc.boolean());
        }),
        ([{ layout, codec }, rows, offset, asObjects]) => {
          const size = layout.recordSize;
          const view = sentinelView(offset + rows.length * size + 3);
          rows.forEach((row, k) => {
            const o = offset + k * size;
            const ts = asObjects
              ? codec.encodeObject(view, o, toObject(codec, row))
              : codec.encodeTuple(view, o, row);
            expect(ts).toBe(Number(row[layout.tsIndex]));
            expect(codec.readTimestamp(view, o)).toBe(Number(row[layout.tsIndex]));
          });
          const bytes = new Uint8Array(view.buffer);
          expect(bytes.subarray(0, offset).every((b) => b === SENTINEL)).toBe(true);
          expect(bytes.subarray(offset + rows.length * size).every((b) => b === SENTINEL)).toBe(true);

          rows.forEach((row, k) => {
            const o = offset + k * size;
            const want = layout.fields.map((f) => expected(f.type, row[f.index], mode));
            expect(codec.decodeTuple(view, o, mode)).toEqual(want);
            expect(codec.decodeObject(view, o, mode)).toEqual(toObject(codec, want));
            for (const pad of layout.padding) {
              expect(bytes.subarray(o + pad.offset, o + pad.offset + pad.size).every((b) => b === 0)).toBe(
                true,
              );
            }
          });
          const columns = codec.decodeColumns(view, offset, rows.length, mode);
          for (const f of layout.fields) {
            const column = columns[f.name] as unknown as ArrayLike<unknown>;
            expect(Array.from(column)).toEqual(rows.map((row) => columnValue(f.type, row[f.index], mode)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes a batch exactly as record-by-record encoding does', () => {
    fc.assert(
      fc.property(
        schemaArb.chain((fields) => {
          const built = build(fields);
          return fc.tuple(fc.constant(built), rowsArb(built.codec, mode, 6));
        }),
        ([{ layout, codec }, rows]) => {
          // Batches require non-decreasing timestamps: sort rows by theirs.
          const sorted = [...rows].sort(byTimestamp(layout));
          const one = sentinelView(sorted.length * layout.recordSize);
          sorted.forEach((row, k) => {
            codec.encodeTuple(one, k * layout.recordSize, row);
          });
          const batch = sentinelView(sorted.length * layout.recordSize);
          const mixed = sorted.map((row, k) => (k % 2 === 0 ? row : toObject(codec, row)));
          // Number() is monotonic, so rows sorted by exact timestamp pass the batch's order check.
          expect(codec.encodeBatch(batch, 0, mixed)).toBe(Number(sorted.at(-1)![layout.tsIndex]));
          expect(new Uint8Array(batch.buffer)).toEqual(new Uint8Array(one.buffer));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('codec rejections', () => {
  it('throws for any invalid value and leaves every target byte untouched', () => {
    fc.assert(
      fc.property(
        schemaArb.chain((fields) => {
          const built = build(fields);
          const { codec } = built;
          return fc
            .tuple(
              fc.constant(built),
              rowsArb(codec, 'bigint', 3),
              fc.nat({ max: codec.layout.fields.length - 1 }),
              fc.nat(),
            )
            .chain(([b, rows, badField, badRow]) =>
              fc.tuple(
                fc.constant(b),
                fc.constant(rows),
                fc.constant(badField),
                fc.constant(badRow),
                invalidArb(codec.layout.fields[badField].type),
              ),
            );
        }),
        ([{ layout, codec }, rows, badField, badRowSeed, bad]) => {
          const badRow = badRowSeed % rows.length;
          // Sorted so the batch fails on the bad value rather than on timestamp order.
          const broken = rows.map((row) => [...row]).sort(byTimestamp(layout));
          broken[badRow][badField] = bad;
          const view = sentinelView(rows.length * layout.recordSize);
          const untouched = () => new Uint8Array(view.buffer).every((b) => b === SENTINEL);
          const name = layout.fields[badField].name;

          expect(() => codec.encodeTuple(view, 0, broken[badRow])).toThrow(`field "${name}"`);
          expect(untouched()).toBe(true);
          const object = toObject(codec, broken[badRow]);
          expect(() => codec.encodeObject(view, 0, object)).toThrow(
            bad === undefined ? `missing field "${name}"` : `field "${name}"`,
          );
          expect(untouched()).toBe(true);
          expect(() => codec.validateTuple(broken[badRow])).toThrow(/^Feed "prop": /);
          expect(() => codec.encodeBatch(view, 0, broken)).toThrow(`(batch row ${badRow})`);
          expect(untouched()).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
