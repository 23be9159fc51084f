// Turns the error code + field index + detail reported by assembly/layout.ts into a
// SchemaError with a message naming the feed, the field and the fix.

import { SchemaError, sentence } from './errors.js';
import { FIELD_TYPES, fieldTypeOfKind } from './kinds.js';
import { MAX_NAME_LENGTH, MAX_PADDING, MAX_RECORD_SIZE } from './layout-limits.js';
import type { FieldSpec } from './layout-types.js';

// Codes from assembly/layout.ts.
export const LAYOUT_OK = 0;
const ERR_INPUT = 1;
const ERR_NO_VALUE_FIELDS = 2;
const ERR_EMPTY_NAME = 3;
const ERR_NAME_TOO_LONG = 4;
const ERR_INVALID_NAME = 5;
const ERR_RESERVED_NAME = 6;
const ERR_DUPLICATE_NAME = 7;
const ERR_UNKNOWN_TYPE = 8;
const ERR_PADDING_SIZE = 9;
const ERR_TS_MISSING = 10;
const ERR_TS_NOT_FOUND = 11;
const ERR_TS_WRONG_TYPE = 12;
const ERR_RECORD_TOO_LARGE = 13;

const q = (text: string): string => JSON.stringify(text);

/** `field "price"`, or `fields[3]` when the field has no usable name. */
function fieldLabel(fields: readonly FieldSpec[], index: number): string {
  const name = fields[index]?.name;
  return name ? `field ${q(name)}` : `fields[${index}]`;
}

function characterAtByte(text: string, byteIndex: number): string {
  const bytes = new TextEncoder().encode(text);
  return new TextDecoder().decode(bytes.subarray(byteIndex)).charAt(0);
}

export function layoutError(
  code: number,
  index: number,
  detail: number,
  fields: readonly FieldSpec[],
  tsCol: string,
  feed: string | undefined,
): SchemaError {
  const field = index >= 0 ? fields[index] : undefined;
  const name = field?.name;
  const context = { feed, field: name || undefined };
  const fail = (message: string, ctx: { feed?: string; field?: string } = context) =>
    new SchemaError(sentence(feed, message), ctx);
  const label = fieldLabel(fields, index);

  switch (code) {
    case ERR_NO_VALUE_FIELDS:
      return fail(
        fields.length === 0
          ? 'schema has no fields'
          : 'schema has no value fields (padding alone cannot make a record)',
      );
    case ERR_EMPTY_NAME:
      return fail(`fields[${index}] (type ${q(field?.type ?? '')}) has an empty name`);
    case ERR_NAME_TOO_LONG:
      return fail(`fields[${index}] has a name of ${detail} bytes; the limit is ${MAX_NAME_LENGTH}`);
    case ERR_INVALID_NAME:
      return fail(
        `${label} has an invalid name: ${q(characterAtByte(name ?? '', detail))} is not allowed ` +
          'there (names match [A-Za-z_][A-Za-z0-9_]*)',
      );
    case ERR_RESERVED_NAME:
      return fail(`${label} uses a reserved name`);
    case ERR_DUPLICATE_NAME:
      return fail(`${label} is declared twice (fields[${detail}] and fields[${index}])`);
    case ERR_UNKNOWN_TYPE: {
      const hint =
        detail > 0
          ? ` (did you mean ${q(fieldTypeOfKind(detail))}?)`
          : ` (expected one of ${FIELD_TYPES.join(', ')}, or _N for N padding bytes)`;
      return fail(`${label} has unknown type ${q(field?.type ?? '')}${hint}`);
    }
    case ERR_PADDING_SIZE:
      return fail(
        `${label} has invalid padding type ${q(field?.type ?? '')}: N in _N must be a whole number ` +
          `of bytes from 1 to ${MAX_PADDING}`,
      );
    case ERR_TS_MISSING:
      return fail('tsCol is required: name the uint64 or int64 timestamp field', { feed });
    case ERR_TS_NOT_FOUND: {
      const hint = detail >= 0 ? ` (did you mean ${q(fields[detail]?.name ?? '')}?)` : '';
      return fail(`tsCol ${q(tsCol)} is not a field of the schema${hint}`, { feed, field: tsCol });
    }
    case ERR_TS_WRONG_TYPE:
      return fail(`tsCol ${q(tsCol)} must be a uint64 or int64 field, but it is ${field?.type}`);
    case ERR_RECORD_TOO_LARGE:
      return fail(
        `record size ${detail} bytes exceeds the limit of ${MAX_RECORD_SIZE} bytes ` + `(passed at ${label})`,
      );
    case ERR_INPUT:
      return fail('internal error: schema.wasm rejected the encoded schema');
    default:
      return fail(`internal error: schema.wasm returned unknown status ${code}`);
  }
}
