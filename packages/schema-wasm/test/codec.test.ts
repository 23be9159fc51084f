import { describe, expect, it } from 'vitest';
import { compileLayout, createCodec, type FieldSpec, SchemaError } from '../src/index.js';

const TRADES: FieldSpec[] = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

const SENTINEL = 0xa5;

function codecFor(fields: FieldSpec[], tsCol: string, feedName = 'trades') {
  return createCodec(compileLayout(fields, tsCol, { feedName }), { feedName });
}

function sentinelView(bytes: number): DataView {
  const buffer = new ArrayBuffer(bytes);
  new Uint8Array(buffer).fill(SENTINEL);
  return new DataView(buffer);
}

function untouched(view: DataView): boolean {
  return new Uint8Array(view.buffer).every((b) => b === SENTINEL);
}

/** Runs fn, expects it to throw, and checks the view was not written. */
function rejects(view: DataView, fn: () => unknown): Error {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Error);
  expect(untouched(view)).toBe(true);
  return thrown as Error;
}

describe('createCodec: trades <ddQ', () => {
  const codec = codecFor(TRADES, 'timestamp_us');

  it('writes the exact bytes struct.pack("<ddQ") would', () => {
    const view = sentinelView(24);
    expect(codec.encodeTuple(view, 0, [123.45, 100, 1_700_000_000_000_001])).toBe(1_700_000_000_000_001);
    const expected = new DataView(new ArrayBuffer(24));
    expected.setFloat64(0, 123.45, true);
    expected.setFloat64(8, 100, true);
    expected.setBigUint64(16, 1_700_000_000_000_001n, true);
    expect(new Uint8Array(view.buffer)).toEqual(new Uint8Array(expected.buffer));
  });

  it('writes at a byte offset and leaves the bytes around it alone', () => {
    const view = sentinelView(40);
    codec.encodeObject(view, 7, { price: 1, size: 2, timestamp_us: 3n });
    const bytes = new Uint8Array(view.buffer);
    expect(bytes.subarray(0, 7).every((b) => b === SENTINEL)).toBe(true);
    expect(bytes.subarray(31).every((b) => b === SENTINEL)).toBe(true);
    expect(codec.decodeTuple(view, 7, 'bigint')).toEqual([1, 2, 3n]);
    expect(codec.readTimestamp(view, 7)).toBe(3);
  });

  it('returns the timestamp as a number for a bigint timestamp', () => {
    const view = sentinelView(24);
    expect(codec.encodeTuple(view, 0, [1, 2, 5n])).toBe(5);
    expect(codec.validateTuple([1, 2, 6n])).toBe(6);
    expect(codec.validateObject({ price: 1, size: 2, timestamp_us: 7 })).toBe(7);
  });

  it('accepts NaN and infinities in float fields', () => {
    const view = sentinelView(24);
    codec.encodeTuple(view, 0, [Number.NaN, Number.NEGATIVE_INFINITY, 1]);
    const [price, size] = codec.decodeTuple(view, 0, 'number');
    expect(price).toBeNaN();
    expect(size).toBe(Number.NEGATIVE_INFINITY);
  });

  it('names expected and actual counts on wrong arity, writing nothing', () => {
    const view = sentinelView(24);
    const error = rejects(view, () => codec.encodeTuple(view, 0, [1, 2]));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('Feed "trades": expected 3 values (price, size, timestamp_us), got 2');
    expect(rejects(view, () => codec.encodeTuple(view, 0, 'abc' as never)).message).toBe(
      'Feed "trades": expected an array of 3 values (price, size, timestamp_us), got "abc"',
    );
  });

  it('names a missing object field', () => {
    const view = sentinelView(24);
    const error = rejects(view, () => codec.encodeObject(view, 0, { price: 1, timestamp_us: 2 }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('Feed "trades": record is missing field "size"');
    expect((error as TypeError & { field?: string }).field).toBe('size');
  });

  it('names an unknown object key and suggests the nearest field', () => {
    const view = sentinelView(24);
    const error = rejects(view, () =>
      codec.encodeObject(view, 0, { price: 1, size: 2, timestamp_us: 3, szie: 4 }),
    );
    expect(error.message).toBe('Feed "trades": record has unknown field "szie" (did you mean "size"?)');
  });

  it('treats a field set to undefined as missing', () => {
    const view = sentinelView(24);
    expect(
      rejects(view, () => codec.encodeObject(view, 0, { price: 1, size: undefined, timestamp_us: 3 }))
        .message,
    ).toBe('Feed "trades": record is missing field "size"');
  });

  it('rejects a non-object record', () => {
    const view = sentinelView(24);
    expect(rejects(view, () => codec.encodeObject(view, 0, null as never)).message).toBe(
      'Feed "trades": expected a record object with fields price, size, timestamp_us, got null',
    );
  });

  it('rejects a record that does not fit in the view, writing nothing', () => {
    const view = sentinelView(30);
    const error = rejects(view, () => codec.encodeTuple(view, 8, [1, 2, 3]));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toContain('at byte offset 8 do not fit in a view of 30 bytes');
    expect(rejects(view, () => codec.encodeTuple(view, -1, [1, 2, 3]))).toBeInstanceOf(RangeError);
  });

  it('throws on an unsafe uint64 in number mode and reads it exactly in bigint mode', () => {
    const view = sentinelView(24);
    codec.encodeTuple(view, 0, [1, 2, 2n ** 53n + 1n]);
    expect(() => codec.decodeTuple(view, 0, 'number')).toThrow(
      /field "timestamp_us" holds 9007199254740993, outside the safe-integer range; read it with int64: 'bigint'/,
    );
    expect(() => codec.decodeObject(view, 0, 'number')).toThrow(RangeError);
    expect(() => codec.decodeColumns(view, 0, 1, 'number')).toThrow(RangeError);
    expect(codec.decodeTuple(view, 0, 'bigint')[2]).toBe(2n ** 53n + 1n);
  });

  it('reads 2^53 - 1 in number mode', () => {
    const view = sentinelView(24);
    codec.encodeTuple(view, 0, [1, 2, Number.MAX_SAFE_INTEGER]);
    expect(codec.decodeTuple(view, 0, 'number')[2]).toBe(Number.MAX_SAFE_INTEGER);
    expect(codec.readTimestamp(view, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects an unknown int64 mode', () => {
    const view = sentinelView(24);
    codec.encodeTuple(view, 0, [1, 2, 3]);
    expect(() => codec.decodeTuple(view, 0, 'string' as never)).toThrow(/int64 must be 'number' or 'bigint'/);
  });

  it('decodes columns as typed arrays', () => {
    const view = sentinelView(72);
    for (let i = 0; i < 3; i++) codec.encodeTuple(view, i * 24, [i + 0.5, i * 10, 1000 + i]);
    const columns = codec.decodeColumns(view, 0, 3, 'bigint');
    expect(columns.price).toEqual(new Float64Array([0.5, 1.5, 2.5]));
    expect(columns.size).toEqual(new Float64Array([0, 10, 20]));
    expect(columns.timestamp_us).toEqual(new BigUint64Array([1000n, 1001n, 1002n]));
    expect(codec.decodeColumns(view, 24, 2, 'number').timestamp_us).toEqual(new Float64Array([1001, 1002]));
    expect(codec.decodeColumns(view, 0, 0, 'number').price).toEqual(new Float64Array(0));
    expect(() => codec.decodeColumns(view, 0, 4, 'number')).toThrow(RangeError);
    expect(() => codec.decodeColumns(view, 0, 1.5, 'number')).toThrow(
      /record count must be a non-negative integer/,
    );
  });

  it('exposes the layout and the field names', () => {
    expect(codec.fieldNames).toEqual(['price', 'size', 'timestamp_us']);
    expect(codec.layout.fmt).toBe('<ddQ');
  });
});

describe('createCodec: value rules per type', () => {
  const ALL: FieldSpec[] = [
    { name: 'u8', type: 'uint8' },
    { name: 'u16', type: 'uint16' },
    { name: 'u32', type: 'uint32' },
    { name: 'u64', type: 'uint64' },
    { name: 'i8', type: 'int8' },
    { name: 'i16', type: 'int16' },
    { name: 'i32', type: 'int32' },
    { name: 'i64', type: 'int64' },
    { name: 'f32', type: 'float32' },
    { name: 'f64', type: 'float64' },
    { name: 'c', type: 'char' },
    { name: 'pad', type: '_3' },
  ];
  const codec = codecFor(ALL, 'i64', 'all');
  const GOOD: unknown[] = [
    255,
    65535,
    4294967295,
    2n ** 64n - 1n,
    -128,
    -32768,
    -2147483648,
    -(2n ** 63n),
    1.5,
    2.25,
    'Z',
  ];

  function withValue(index: number, value: unknown): unknown[] {
    const values = [...GOOD];
    values[index] = value;
    return values;
  }

  it('round-trips the extremes of every type', () => {
    const view = sentinelView(codec.layout.recordSize);
    codec.encodeTuple(view, 0, GOOD);
    expect(codec.decodeTuple(view, 0, 'bigint')).toEqual([
      255,
      65535,
      4294967295,
      2n ** 64n - 1n,
      -128,
      -32768,
      -2147483648,
      -(2n ** 63n),
      1.5,
      2.25,
      'Z',
    ]);
  });

  it('zeroes padding bytes', () => {
    const view = sentinelView(codec.layout.recordSize);
    codec.encodeTuple(view, 0, GOOD);
    const pad = codec.layout.padding[0];
    expect([...new Uint8Array(view.buffer, pad.offset, pad.size)]).toEqual([0, 0, 0]);
  });

  it.each([
    [0, 256, RangeError, 'field "u8" expects an integer in [0, 255], got 256'],
    [0, -1, RangeError, 'field "u8" expects an integer in [0, 255], got -1'],
    [0, 1.5, RangeError, 'got 1.5'],
    [0, Number.NaN, RangeError, 'got NaN'],
    [0, '1', TypeError, 'got "1"'],
    [0, 1n, TypeError, 'got 1n'],
    [1, 65536, RangeError, 'field "u16" expects an integer in [0, 65535], got 65536'],
    [2, 4294967296, RangeError, 'field "u32" expects an integer in [0, 4294967295], got 4294967296'],
    [3, -1, RangeError, 'field "u64" expects an integer in [0, 18446744073709551615]'],
    [3, 2n ** 64n, RangeError, 'got 18446744073709551616n'],
    [3, 2 ** 53, RangeError, 'pass a bigint'],
    [3, Number.POSITIVE_INFINITY, RangeError, 'got Infinity'],
    [3, '5', TypeError, '(a number or a bigint), got "5"'],
    [4, 128, RangeError, 'field "i8" expects an integer in [-128, 127], got 128'],
    [5, -32769, RangeError, 'field "i16" expects an integer in [-32768, 32767], got -32769'],
    [
      6,
      2147483648,
      RangeError,
      'field "i32" expects an integer in [-2147483648, 2147483647], got 2147483648',
    ],
    [
      7,
      2n ** 63n,
      RangeError,
      'field "i64" expects an integer in [-9223372036854775808, 9223372036854775807]',
    ],
    [7, 0.5, RangeError, 'got 0.5'],
    [8, 'x', TypeError, 'field "f32" expects a number, got "x"'],
    [8, 1e40, RangeError, 'field "f32" expects a number within the float32 range'],
    [8, -1e40, RangeError, 'got -1e+40'],
    [8, 3.4028235677973366e38, RangeError, 'got 3.4028235677973366e+38'],
    [8, Number.MAX_VALUE, RangeError, 'stored as Infinity'],
    [9, null, TypeError, 'field "f64" expects a number, got null'],
    [9, 1n, TypeError, 'field "f64" expects a number, got 1n'],
    [
      10,
      'AB',
      RangeError,
      'field "c" expects a one-character string (code point <= 255) or a byte number 0..255, got "AB"',
    ],
    [10, '', RangeError, 'got ""'],
    [10, 'Ā', RangeError, 'got "Ā"'],
    [10, 256, RangeError, 'got 256'],
    [10, undefined, TypeError, 'got undefined'],
  ])('rejects field %i = %o with %o naming the field and value', (index, value, kind, message) => {
    const view = sentinelView(codec.layout.recordSize);
    const error = rejects(view, () => codec.encodeTuple(view, 0, withValue(index, value)));
    expect(error).toBeInstanceOf(kind);
    expect(error.message.startsWith('Feed "all": ')).toBe(true);
    expect(error.message).toContain(message);
    expect((error as Error & { field?: string }).field).toBe(ALL[index].name);
    expect(() => codec.validateTuple(withValue(index, value))).toThrow(kind);
  });

  it('stores float32 extremes as given: FLT_MAX (and what rounds to it), ±Infinity and NaN', () => {
    const view = sentinelView(codec.layout.recordSize);
    const at = codec.layout.fields[8].offset;
    for (const [value, stored] of [
      [3.4028234663852886e38, 3.4028234663852886e38],
      [3.4028235677973362e38, 3.4028234663852886e38], // just below the overflow threshold: rounds to FLT_MAX
      [-3.4028234663852886e38, -3.4028234663852886e38],
      [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [Number.NaN, Number.NaN],
      [1e-50, 0],
    ]) {
      codec.encodeTuple(view, 0, withValue(8, value));
      expect(view.getFloat32(at, true)).toBe(stored);
    }
    expect(() => codec.encodeBatch(view, 0, [withValue(8, 1e39)])).toThrow(/float32 range.*got 1e\+39/);
  });

  it('accepts a char as a byte number and decodes it as a one-character string', () => {
    const view = sentinelView(codec.layout.recordSize);
    const values = withValue(10, 0xe9);
    values[3] = 1;
    values[7] = -1;
    codec.encodeTuple(view, 0, values);
    expect(codec.decodeObject(view, 0, 'number').c).toBe('é');
    expect(codec.decodeColumns(view, 0, 1, 'number').c).toEqual(new Uint8Array([0xe9]));
  });

  it('writes negative int64 numbers through the 32-bit halves exactly', () => {
    const view = sentinelView(codec.layout.recordSize);
    for (const value of [-1, -(2 ** 32), -(2 ** 32) - 1, -Number.MAX_SAFE_INTEGER, 2 ** 40 + 7]) {
      const values = withValue(7, value);
      values[3] = 1;
      codec.encodeTuple(view, 0, values);
      expect(view.getBigInt64(codec.layout.fields[7].offset, true)).toBe(BigInt(value));
      expect(codec.readTimestamp(view, 0)).toBe(value);
      expect(codec.decodeTuple(view, 0, 'number')[7]).toBe(value);
    }
  });

  it('throws for an int64 of -2^53 in number mode (it is not a safe integer)', () => {
    const view = sentinelView(codec.layout.recordSize);
    const values = withValue(7, -(2n ** 53n));
    values[3] = 1;
    codec.encodeTuple(view, 0, values);
    expect(() => codec.decodeTuple(view, 0, 'number')).toThrow(/field "i64" holds -9007199254740992/);
  });
});

describe('createCodec: batches', () => {
  const codec = codecFor(TRADES, 'timestamp_us');

  it('writes tuples and objects back to back and returns the last timestamp', () => {
    const view = sentinelView(72);
    const last = codec.encodeBatch(view, 0, [
      [1, 1, 10],
      { price: 2, size: 2, timestamp_us: 11n },
      [3, 3, 11],
    ]);
    expect(last).toBe(11);
    expect(codec.decodeColumns(view, 0, 3, 'number').price).toEqual(new Float64Array([1, 2, 3]));
  });

  it('writes nothing when any row is invalid, naming the row', () => {
    const view = sentinelView(72);
    const error = rejects(view, () =>
      codec.encodeBatch(view, 0, [
        [1, 1, 10],
        [2, 2, 11],
        [3, 'x', 12],
      ]),
    );
    expect(error.message).toBe('Feed "trades": field "size" expects a number, got "x" (batch row 2)');
    expect((error as Error & { row?: number }).row).toBe(2);
  });

  it('writes nothing when timestamps decrease within the batch or below minTimestamp', () => {
    const view = sentinelView(72);
    expect(
      rejects(view, () =>
        codec.encodeBatch(view, 0, [
          [1, 1, 10],
          [2, 2, 9],
        ]),
      ).message,
    ).toBe('Feed "trades": timestamp timestamp_us=9 in batch row 1 is lower than the previous 10');
    expect(() => codec.encodeBatch(view, 0, [[1, 1, 10]], { minTimestamp: 11 })).toThrow(RangeError);
    expect(untouched(view)).toBe(true);
  });

  it('writes nothing when the batch does not fit', () => {
    const view = sentinelView(47);
    rejects(view, () =>
      codec.encodeBatch(view, 0, [
        [1, 1, 1],
        [2, 2, 2],
      ]),
    );
  });

  it('returns minTimestamp for an empty batch', () => {
    expect(codec.encodeBatch(sentinelView(0), 0, [], { minTimestamp: 5 })).toBe(5);
    expect(codec.encodeBatch(sentinelView(0), 0, [])).toBeNaN();
  });
});

describe('createCodec: layouts', () => {
  it('names each feed in its own messages when two feeds share a layout', () => {
    const a = codecFor(TRADES, 'timestamp_us', 'a');
    const b = codecFor(TRADES, 'timestamp_us', 'b');
    expect(() => a.validateTuple([1])).toThrow(/^Feed "a": /);
    expect(() => b.validateTuple([1])).toThrow(/^Feed "b": /);
  });

  it('omits the feed prefix when no feed is named', () => {
    const codec = createCodec(compileLayout(TRADES, 'timestamp_us'));
    expect(() => codec.validateTuple([1, 2, -1])).toThrow(/^Field "timestamp_us" expects/);
  });

  it('rejects a layout that does not match its own fields', () => {
    const layout = compileLayout(TRADES, 'timestamp_us');
    const forged = { ...layout, recordSize: 32 };
    expect(() => createCodec(forged, { feedName: 'trades' })).toThrow(SchemaError);
    const moved = { ...layout, fields: layout.fields.map((f) => ({ ...f, offset: f.offset + 1 })) };
    expect(() => createCodec(moved)).toThrow(/inconsistent/);
  });

  it('accepts a layout that went through JSON (as read from a registry)', () => {
    const layout = JSON.parse(JSON.stringify(compileLayout(TRADES, 'timestamp_us')));
    const view = sentinelView(24);
    createCodec(layout).encodeTuple(view, 0, [1, 2, 3]);
    expect(createCodec(layout).decodeObject(view, 0, 'number')).toEqual({
      price: 1,
      size: 2,
      timestamp_us: 3,
    });
  });
});

describe('createCodec: targets', () => {
  const codec = codecFor(TRADES, 'timestamp_us');

  it('rejects a target that is not a DataView', () => {
    expect(() => codec.encodeTuple(new Uint8Array(24) as never, 0, [1, 2, 3])).toThrow(
      'Feed "trades": expected a DataView to read or write records, got an object',
    );
  });

  it('rejects NaN and negative offsets before writing', () => {
    const view = sentinelView(48);
    rejects(view, () => codec.encodeTuple(view, Number.NaN, [1, 2, 3]));
    rejects(view, () => codec.encodeObject(view, -8, { price: 1, size: 2, timestamp_us: 3 }));
  });

  it('reads with the same bounds rules', () => {
    const view = sentinelView(30);
    expect(() => codec.decodeTuple(view, 7, 'number')).toThrow(/do not fit in a view of 30 bytes/);
    expect(() => codec.decodeObject(view, -1, 'bigint')).toThrow(RangeError);
  });
});
