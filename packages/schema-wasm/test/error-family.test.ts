import { DeepwaterError } from '@deepwater/errors';
import { describe, expect, it } from 'vitest';
import { compileLayout, createCodec, SchemaError, TimeIndex, TimeIndexFormatError } from '../src/index.js';

// Every error schema-wasm throws belongs to the one Deepwater error family (@deepwater/errors).
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'ts', type: 'uint64' },
];

describe('schema-wasm errors are DeepwaterErrors', () => {
  it('a schema that cannot be compiled: SchemaError, ERR_SCHEMA, naming feed and field', () => {
    const error = thrownBy(() =>
      compileLayout([{ name: 'price', type: 'float65' }, ...FIELDS.slice(1)], 'ts', { feedName: 'trades' }),
    );
    expect(error).toBeInstanceOf(SchemaError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({ code: 'ERR_SCHEMA', feed: 'trades', field: 'price' });
  });

  it('a value of the wrong type or range: TypeError/RangeError with a code, naming feed and field', () => {
    const codec = createCodec(compileLayout(FIELDS, 'ts'), { feedName: 'trades' });
    const view = new DataView(new ArrayBuffer(codec.layout.recordSize));
    const type = thrownBy(() => codec.encodeTuple(view, 0, ['1.5', 1]));
    expect(type).toBeInstanceOf(TypeError);
    expect(type).toBeInstanceOf(DeepwaterError);
    expect(type).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', feed: 'trades', field: 'price' });
    const range = thrownBy(() => codec.encodeTuple(view, 0, [1.5, -1]));
    expect(range).toBeInstanceOf(RangeError);
    expect(range).toBeInstanceOf(DeepwaterError);
    expect(range).toMatchObject({ code: 'ERR_OUT_OF_RANGE', feed: 'trades', field: 'ts' });
  });

  it('a damaged serialized time index: TimeIndexFormatError, ERR_INDEX_FORMAT', () => {
    const error = thrownBy(() => TimeIndex.deserialize(new Uint8Array(16)));
    expect(error).toBeInstanceOf(TimeIndexFormatError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect((error as DeepwaterError).code).toBe('ERR_INDEX_FORMAT');
  });

  it('a time index used after dispose(): ERR_CLOSED', () => {
    const index = new TimeIndex();
    index.dispose();
    const error = thrownBy(() => index.append(1, 0));
    expect(error).toBeInstanceOf(DeepwaterError);
    expect((error as DeepwaterError).code).toBe('ERR_CLOSED');
  });
});
