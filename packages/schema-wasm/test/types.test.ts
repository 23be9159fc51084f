import { describe, expectTypeOf, it } from 'vitest';
import {
  type compileLayout,
  type createCodec,
  type FieldLayout,
  type FieldType,
  type Int64Mode,
  type RecordCodec,
  type RecordLayout,
  type SchemaError,
  TimeIndex,
} from '../src/index.js';

describe('public types', () => {
  it('compileLayout and createCodec have the agreed signatures', () => {
    expectTypeOf<typeof compileLayout>().parameters.toEqualTypeOf<
      [
        fields: readonly { name: string; type: string; desc?: string }[],
        tsCol: string,
        options?: { feedName?: string },
      ]
    >();
    expectTypeOf<typeof compileLayout>().returns.toEqualTypeOf<RecordLayout>();
    expectTypeOf<typeof createCodec>().returns.toEqualTypeOf<RecordCodec>();
    expectTypeOf<RecordLayout['tsType']>().toEqualTypeOf<'uint64' | 'int64'>();
    expectTypeOf<FieldLayout['type']>().toEqualTypeOf<FieldType>();
    expectTypeOf<Int64Mode>().toEqualTypeOf<'number' | 'bigint'>();
  });

  it('RecordCodec methods take a DataView and a byte offset', () => {
    expectTypeOf<RecordCodec['encodeTuple']>().parameters.toEqualTypeOf<
      [view: DataView, byteOffset: number, values: ArrayLike<unknown>]
    >();
    expectTypeOf<RecordCodec['encodeTuple']>().returns.toEqualTypeOf<number>();
    expectTypeOf<RecordCodec['decodeColumns']>().returns.toEqualTypeOf<Record<string, ArrayBufferView>>();
  });

  it('SchemaError carries a stable code', () => {
    expectTypeOf<SchemaError['code']>().toEqualTypeOf<'ERR_SCHEMA'>();
    expectTypeOf<SchemaError>().toMatchTypeOf<Error>();
  });

  it('TimeIndex is disposable', () => {
    expectTypeOf<TimeIndex>().toMatchTypeOf<Disposable>();
    expectTypeOf(TimeIndex.deserialize).returns.toEqualTypeOf<TimeIndex>();
  });
});
