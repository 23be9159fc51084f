// Slow paths of the generated codecs: building the error for a value that failed its check.
// Nothing here runs unless a record is rejected.

import { sentence, type ValueError, valueError } from './errors.js';
import { INTEGER_RANGES, isInt64Type } from './kinds.js';
import type { FieldLayout, RecordLayout } from './layout-types.js';
import { didYouMean } from './suggest.js';

export interface CodecErrors {
  badTuple(index: number, value: unknown): ValueError;
  badObject(index: number, value: unknown): ValueError;
  arity(values: unknown): ValueError;
  notObject(record: unknown): ValueError;
  unknownKeys(record: object): ValueError;
  bounds(view: DataView, byteOffset: number, count: number): ValueError;
  badCount(count: unknown): ValueError;
  unsafe(index: number, value: bigint): ValueError;
}

/** A short, unambiguous rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? `an array of length ${value.length}` : 'an object';
    default:
      return String(value);
  }
}

function expectation(field: FieldLayout): string {
  const range = INTEGER_RANGES[field.type];
  switch (field.type) {
    case 'float32':
    case 'float64':
      return 'a number';
    case 'char':
      return 'a one-character string (code point <= 255) or a byte number 0..255';
    default:
      return `an integer in [${range![0]}, ${range![1]}]`;
  }
}

function badValue(feed: string | undefined, field: FieldLayout, value: unknown): ValueError {
  const got = describeValue(value);
  const prefix = `field ${JSON.stringify(field.name)} expects ${expectation(field)}`;
  const fail = (kind: 'type' | 'range', extra = '') =>
    valueError(kind, sentence(feed, `${prefix}${extra}, got ${got}`), feed, field.name);

  if (field.type === 'float32' && typeof value === 'number') {
    return fail(
      'range',
      ' within the float32 range (|v| <= 3.4028234663852886e38; a finite value beyond would be stored as Infinity — pass Infinity explicitly if that is meant)',
    );
  }
  if (field.type === 'char')
    return fail(typeof value === 'string' || typeof value === 'number' ? 'range' : 'type');
  if (isInt64Type(field.type)) {
    if (typeof value === 'number' && Number.isInteger(value)) {
      const [min, max] = INTEGER_RANGES[field.type]!;
      const inRange = BigInt(value) >= min && BigInt(value) <= max;
      return fail('range', inRange ? ' (numbers beyond ±(2^53-1) lose precision: pass a bigint)' : '');
    }
    return fail(
      typeof value === 'number' || typeof value === 'bigint' ? 'range' : 'type',
      ' (a number or a bigint)',
    );
  }
  return fail(typeof value === 'number' ? 'range' : 'type');
}

export function createCodecErrors(layout: RecordLayout, feed: string | undefined): CodecErrors {
  const names = layout.fields.map((f) => f.name);
  const fieldList = names.join(', ');
  const fail = (kind: 'type' | 'range', message: string, field?: string) =>
    valueError(kind, sentence(feed, message), feed, field);

  return {
    badTuple: (index, value) => badValue(feed, layout.fields[index], value),
    badObject(index, value) {
      const name = names[index];
      if (value === undefined) {
        return fail('type', `record is missing field ${JSON.stringify(name)}`, name);
      }
      return badValue(feed, layout.fields[index], value);
    },
    arity(values) {
      if (
        values === null ||
        typeof values !== 'object' ||
        typeof (values as ArrayLike<unknown>).length !== 'number'
      ) {
        return fail(
          'type',
          `expected an array of ${names.length} values (${fieldList}), got ${describeValue(values)}`,
        );
      }
      return fail(
        'type',
        `expected ${names.length} values (${fieldList}), got ${(values as ArrayLike<unknown>).length}`,
      );
    },
    notObject: (record) =>
      fail('type', `expected a record object with fields ${fieldList}, got ${describeValue(record)}`),
    unknownKeys(record) {
      for (const key in record) {
        if (!names.includes(key)) {
          return fail(
            'type',
            `record has unknown field ${JSON.stringify(key)}${didYouMean(key, names)}`,
            key,
          );
        }
      }
      // Fields supplied by getters on a prototype are not enumerable, so the key count differs.
      return fail('type', `record must have exactly the own enumerable fields ${fieldList}`);
    },
    bounds: (view, byteOffset, count) =>
      !(view instanceof DataView)
        ? fail('type', `expected a DataView to read or write records, got ${describeValue(view)}`)
        : fail(
            'range',
            `${count} record(s) of ${layout.recordSize} bytes at byte offset ${byteOffset} do not fit ` +
              `in a view of ${view.byteLength} bytes`,
          ),
    badCount: (count) =>
      fail('range', `record count must be a non-negative integer, got ${describeValue(count)}`),
    unsafe: (index, value) =>
      fail(
        'range',
        `field ${JSON.stringify(names[index])} holds ${value}, outside the safe-integer range; ` +
          "read it with int64: 'bigint'",
        names[index],
      ),
  };
}
