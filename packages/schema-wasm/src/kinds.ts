// Field kinds as numbered by assembly/kinds.ts (the codes cross the WASM boundary).
// test/kinds.test.ts checks this table against what the WASM compiler reports.
import { DeepwaterError } from '@deepwater/errors';

export type FieldType =
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'char';

export const KIND_PAD = 0;

/** Value types by kind code (index 0 is padding). */
export const FIELD_TYPES: readonly FieldType[] = [
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

export function fieldTypeOfKind(kind: number): FieldType {
  const type = FIELD_TYPES[kind - 1];
  if (type === undefined)
    throw new DeepwaterError('ERR_INTERNAL', `schema.wasm reported unknown field kind ${kind}`);
  return type;
}

export const FIELD_SIZES: Readonly<Record<FieldType, number>> = {
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float32: 4,
  float64: 8,
  char: 1,
};

/** Python struct codes, as used in RecordLayout.fmt. */
export const FMT_CODES: Readonly<Record<FieldType, string>> = {
  uint8: 'B',
  uint16: 'H',
  uint32: 'I',
  uint64: 'Q',
  int8: 'b',
  int16: 'h',
  int32: 'i',
  int64: 'q',
  float32: 'f',
  float64: 'd',
  char: 'c',
};

/** Inclusive ranges of the integer types, as bigint so the 64-bit bounds are exact. */
export const INTEGER_RANGES: Readonly<Partial<Record<FieldType, readonly [bigint, bigint]>>> = {
  uint8: [0n, 0xffn],
  uint16: [0n, 0xffffn],
  uint32: [0n, 0xffffffffn],
  uint64: [0n, 0xffffffffffffffffn],
  int8: [-0x80n, 0x7fn],
  int16: [-0x8000n, 0x7fffn],
  int32: [-0x80000000n, 0x7fffffffn],
  int64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

export function isInt64Type(type: FieldType): type is 'uint64' | 'int64' {
  return type === 'uint64' || type === 'int64';
}
