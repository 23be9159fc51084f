import { describe, expectTypeOf, it } from 'vitest';
import type { Columns, Platform, Reader, RecordObject, RecordStream, Tuple, Writer } from '../src/index.js';

describe('public API types', () => {
  it('types batch results and stream records by format', () => {
    expectTypeOf<ReturnType<Platform['createReader']>>().toEqualTypeOf<Reader>();
    expectTypeOf<ReturnType<Platform['createWriter']>>().toEqualTypeOf<Writer>();
    const r = null as unknown as Reader;
    if (r === null) return; // type-level only
    expectTypeOf(r.range(0, 1)).toEqualTypeOf<Tuple[]>();
    expectTypeOf(r.range(0n, 1n, { format: 'object' })).toEqualTypeOf<RecordObject[]>();
    expectTypeOf(r.latest(60, { format: 'columnar' })).toEqualTypeOf<Columns>();
    expectTypeOf(r.readAvailable({ format: 'raw', maxRecords: 10 })).toEqualTypeOf<Uint8Array>();
    expectTypeOf(r.stream()).toEqualTypeOf<RecordStream<Tuple>>();
    expectTypeOf(r.stream({ start: 1, format: 'dict' })).toEqualTypeOf<RecordStream<RecordObject>>();
    expectTypeOf(r.stream({ format: 'raw' })).toEqualTypeOf<RecordStream<Uint8Array>>();
    // @ts-expect-error columnar is a batch format, not a stream format
    r.stream({ format: 'columnar' });
    // @ts-expect-error unknown formats are refused at compile time too
    r.range(0, 1, { format: 'tuples' });
  });
});
