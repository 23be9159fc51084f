import { describe, expect, it } from 'vitest';
import { compileLayout, type FieldSpec, SchemaError } from '../src/index.js';

const TS: FieldSpec = { name: 'timestamp_us', type: 'uint64' };

function schemaError(fields: unknown, ...rest: [tsCol?: unknown, feedName?: string]) {
  const tsCol = rest.length > 0 ? rest[0] : 'timestamp_us';
  const feedName = rest.length > 1 ? rest[1] : 'trades';
  try {
    compileLayout(fields as FieldSpec[], tsCol as string, { feedName });
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return error as SchemaError;
  }
  throw new Error('compileLayout did not throw');
}

describe('compileLayout errors', () => {
  it('names the feed, the field and the nearest type for a misspelled type', () => {
    const error = schemaError([{ name: 'price', type: 'float64' }, { name: 'size', type: 'flaot64' }, TS]);
    expect(error.message).toBe(
      'Feed "trades": field "size" has unknown type "flaot64" (did you mean "float64"?)',
    );
    expect(error.code).toBe('ERR_SCHEMA');
    expect(error.feed).toBe('trades');
    expect(error.field).toBe('size');
    expect(error.name).toBe('SchemaError');
  });

  it('suggests the right case for a miscased type', () => {
    expect(schemaError([{ name: 'n', type: 'UInt32' }, TS]).message).toContain('(did you mean "uint32"?)');
  });

  it('lists the valid types when nothing is close', () => {
    const error = schemaError([{ name: 'note', type: 'string' }, TS]);
    expect(error.message).toContain('field "note" has unknown type "string" (expected one of uint8,');
    expect(error.message).toContain('or _N for N padding bytes');
  });

  it('rejects a duplicate field name, naming both positions', () => {
    const error = schemaError([{ name: 'price', type: 'float64' }, TS, { name: 'price', type: 'float32' }]);
    expect(error.message).toBe('Feed "trades": field "price" is declared twice (fields[0] and fields[2])');
    expect(error.field).toBe('price');
  });

  it('rejects an empty field name', () => {
    const error = schemaError([{ name: '', type: 'float64' }, TS]);
    expect(error.message).toBe('Feed "trades": fields[0] (type "float64") has an empty name');
  });

  it.each([
    ['my-price', '-'],
    ['1st', '1'],
    ['price usd', ' '],
    ['prix€', '€'],
  ])('rejects the name %j, naming the character %j', (name, character) => {
    const error = schemaError([{ name, type: 'float64' }, TS]);
    expect(error.message).toContain(
      `field ${JSON.stringify(name)} has an invalid name: ${JSON.stringify(character)}`,
    );
    expect(error.message).toContain('[A-Za-z_][A-Za-z0-9_]*');
    expect(error.field).toBe(name);
  });

  it('accepts names with underscores and digits after the first character', () => {
    expect(() => compileLayout([{ name: '_bid_2', type: 'float64' }, TS], 'timestamp_us')).not.toThrow();
  });

  it('rejects names longer than 255 bytes', () => {
    const error = schemaError([{ name: 'a'.repeat(256), type: 'float64' }, TS]);
    expect(error.message).toBe('Feed "trades": fields[0] has a name of 256 bytes; the limit is 255');
  });

  it('rejects __proto__ as a field name', () => {
    expect(schemaError([{ name: '__proto__', type: 'uint8' }, TS]).message).toBe(
      'Feed "trades": field "__proto__" uses a reserved name',
    );
  });

  it.each(['_0', '_-1', '_abc', '_4097', '_', '_1.5', '_99999999999'])('rejects the padding %j', (type) => {
    const error = schemaError([{ name: 'pad', type }, TS]);
    expect(error.message).toBe(
      `Feed "trades": field "pad" has invalid padding type ${JSON.stringify(type)}: ` +
        'N in _N must be a whole number of bytes from 1 to 4096',
    );
  });

  it('rejects a schema with no fields', () => {
    expect(schemaError([]).message).toBe('Feed "trades": schema has no fields');
  });

  it('rejects a schema with padding only', () => {
    expect(schemaError([{ name: 'pad', type: '_8' }]).message).toBe(
      'Feed "trades": schema has no value fields (padding alone cannot make a record)',
    );
  });

  it.each([undefined, ''])('requires tsCol (given %j)', (tsCol) => {
    expect(schemaError([TS], tsCol).message).toBe(
      'Feed "trades": tsCol is required: name the uint64 or int64 timestamp field',
    );
  });

  it('rejects a tsCol that is not a field, suggesting the nearest', () => {
    const error = schemaError([{ name: 'price', type: 'float64' }, TS], 'timestamp_su');
    expect(error.message).toBe(
      'Feed "trades": tsCol "timestamp_su" is not a field of the schema (did you mean "timestamp_us"?)',
    );
    expect(error.field).toBe('timestamp_su');
  });

  it('does not offer a padding field as the tsCol suggestion', () => {
    const error = schemaError([{ name: 'stamp', type: '_8' }, TS], 'stamp');
    expect(error.message).toBe('Feed "trades": tsCol "stamp" is not a field of the schema');
  });

  it.each(['float64', 'uint32', 'int32', 'char'])('rejects a %s tsCol', (type) => {
    const error = schemaError([{ name: 'ts', type }], 'ts');
    expect(error.message).toBe(
      `Feed "trades": tsCol "ts" must be a uint64 or int64 field, but it is ${type}`,
    );
    expect(error.field).toBe('ts');
  });

  it('rejects a record larger than 65536 bytes, naming the field that crosses the limit', () => {
    const fields = Array.from({ length: 16 }, (_, i) => ({ name: `p${i}`, type: '_4096' }));
    const error = schemaError([...fields, TS]);
    expect(error.message).toBe(
      'Feed "trades": record size 65544 bytes exceeds the limit of 65536 bytes (passed at field "timestamp_us")',
    );
  });

  it('rejects non-array fields and non-string names or types', () => {
    expect(schemaError('price').message).toBe('Feed "trades": fields must be an array of { name, type }');
    expect(schemaError([null]).message).toBe('Feed "trades": fields[0] must be an object { name, type }');
    expect(schemaError([{ name: 'a', type: 8 }]).message).toBe(
      'Feed "trades": fields[0].type must be a string, got 8',
    );
    expect(schemaError([{ type: 'uint8' }]).message).toBe(
      'Feed "trades": fields[0].name must be a string, got undefined',
    );
    expect(schemaError([TS], 5).message).toBe('Feed "trades": tsCol must be a field name, got 5');
  });

  it('starts the message with a capital letter when no feed is named', () => {
    expect(schemaError([{ name: 'a', type: 'flot32' }, TS], 'timestamp_us', undefined).message).toBe(
      'Field "a" has unknown type "flot32" (did you mean "float32"?)',
    );
  });

  it('still compiles after an error (the WASM state is not left dirty)', () => {
    schemaError([{ name: 'a', type: 'nope' }, TS]);
    expect(compileLayout([TS], 'timestamp_us').fmt).toBe('<Q');
  });
});
