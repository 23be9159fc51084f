import { describe, expect, it } from 'vitest';
import { compileLayout, createCodec } from '../src/index.js';

const TICK = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

function tickCodec() {
  return createCodec(compileLayout(TICK, 'timestamp_us'), { feedName: 'ticks' });
}

/** Three ticks written at byte `offset` of a fresh buffer. */
function ticksAt(offset: number) {
  const codec = tickCodec();
  const view = new DataView(new ArrayBuffer(offset + 3 * 24));
  [
    [1.5, 10, 1000],
    [2.5, 20, 1001],
    [3.5, 30, 1002],
  ].forEach((row, k) => {
    codec.encodeTuple(view, offset + k * 24, row);
  });
  return { codec, view };
}

describe('batch decoders', () => {
  it.each([0, 4])('decode an aligned or unaligned run (byte offset %i) alike', (offset) => {
    const { codec, view } = ticksAt(offset);
    const out: unknown[] = [];
    expect(codec.decodeTuples(view, offset, 3, 'number', out, 0)).toBe(3);
    expect(out).toEqual([
      [1.5, 10, 1000],
      [2.5, 20, 1001],
      [3.5, 30, 1002],
    ]);
    const columns = codec.allocateColumns(4, 'bigint');
    expect(codec.decodeColumnsInto(view, offset + 24, 2, 'bigint', columns, 2)).toBe(4);
    expect(columns.timestamp_us).toEqual(new BigUint64Array([0n, 0n, 1001n, 1002n]));
    expect(columns.price).toEqual(new Float64Array([0, 0, 2.5, 3.5]));
  });

  // Runs of 16 records or more are read through typed arrays where aligned, shorter ones (a time
  // seek's single record) through the DataView: both sides of the boundary, aligned or not.
  it.each([
    [15, 0],
    [16, 0],
    [17, 0],
    [16, 4],
  ])('decode a run of %i records at byte offset %i as decodeTuple does one by one', (count, offset) => {
    const codec = tickCodec();
    const view = new DataView(new ArrayBuffer(offset + count * 24));
    for (let k = 0; k < count; k++) codec.encodeTuple(view, offset + k * 24, [k + 0.5, k * 10, 2 ** 40 + k]);
    const want = Array.from({ length: count }, (_, k) => codec.decodeTuple(view, offset + k * 24, 'number'));
    const tuples: unknown[] = [];
    expect(codec.decodeTuples(view, offset, count, 'number', tuples, 0)).toBe(count);
    expect(tuples).toEqual(want);
    const objects: Record<string, unknown>[] = [];
    codec.decodeObjects(view, offset, count, 'number', objects, 0);
    expect(objects).toEqual(want.map(([price, size, timestamp_us]) => ({ price, size, timestamp_us })));
    // The unsafe-value refusal names the field on either path.
    view.setBigUint64(offset + (count - 1) * 24 + 16, 2n ** 53n + 1n, true);
    expect(() => codec.decodeTuples(view, offset, count, 'number', [], 0)).toThrow(
      /field "timestamp_us" holds 9007199254740993/,
    );
  });

  it('decode an empty run to nothing', () => {
    const { codec, view } = ticksAt(0);
    const out: Record<string, unknown>[] = [];
    expect(codec.decodeObjects(view, 72, 0, 'number', out, 0)).toBe(0);
    expect(out).toEqual([]);
    expect(codec.decodeColumnsInto(view, 72, 0, 'number', codec.allocateColumns(0, 'number'), 0)).toBe(0);
  });

  it.each([0, 4])('refuse an unsafe uint64 in number mode, naming the field (byte offset %i)', (offset) => {
    const { codec, view } = ticksAt(offset);
    view.setBigUint64(offset + 24 + 16, 2n ** 53n + 1n, true);
    const message = /field "timestamp_us" holds 9007199254740993/;
    expect(() => codec.decodeTuples(view, offset, 3, 'number', [], 0)).toThrow(message);
    expect(() => codec.decodeObjects(view, offset, 3, 'number', [], 0)).toThrow(message);
    const columns = codec.allocateColumns(3, 'number');
    expect(() => codec.decodeColumnsInto(view, offset, 3, 'number', columns, 0)).toThrow(RangeError);
    expect(() => codec.decodeColumnsInto(view, offset, 3, 'number', columns, 0)).toThrow(message);
    const out: unknown[] = [];
    codec.decodeTuples(view, offset, 3, 'bigint', out, 0);
    expect((out[1] as unknown[])[2]).toBe(2n ** 53n + 1n);
  });

  it('carve every column out of one caller-allocated buffer, each 8-byte aligned', () => {
    const codec = createCodec(
      compileLayout(
        [
          { name: 'side', type: 'char' },
          { name: 'qty', type: 'uint16' },
          { name: 'ts', type: 'uint64' },
        ],
        'ts',
      ),
    );
    const asked: number[] = [];
    const columns = codec.allocateColumns(3, 'bigint', (byteLength) => {
      asked.push(byteLength);
      return new ArrayBuffer(byteLength);
    });
    // char 3 B -> 8, uint16 6 B -> 8, uint64 24 B.
    expect(asked).toEqual([40]);
    const buffers = new Set(Object.values(columns).map((column) => column.buffer));
    expect(buffers.size).toBe(1);
    expect(Object.values(columns).map((column) => column.byteOffset)).toEqual([0, 8, 16]);
    expect(columns.ts).toBeInstanceOf(BigUint64Array);
    const view = new DataView(new ArrayBuffer(3 * codec.layout.recordSize));
    [
      ['B', 7, 100n],
      ['S', 8, 101n],
      ['B', 9, 102n],
    ].forEach((row, k) => {
      codec.encodeTuple(view, k * codec.layout.recordSize, row);
    });
    expect(codec.decodeColumnsInto(view, 0, 3, 'bigint', columns, 0)).toBe(3);
    expect(columns.qty).toEqual(new Uint16Array([7, 8, 9]));
    expect(columns.ts).toEqual(new BigUint64Array([100n, 101n, 102n]));
  });

  it('refuse an allocator that returns too little or no ArrayBuffer, naming the size', () => {
    const codec = tickCodec();
    expect(() => codec.allocateColumns(3, 'number', () => new ArrayBuffer(8))).toThrow(
      /Feed "ticks": allocateColumns: allocate\(72\) must return an ArrayBuffer of at least 72 bytes/,
    );
    expect(() =>
      codec.allocateColumns(3, 'number', () => new Uint8Array(72) as unknown as ArrayBuffer),
    ).toThrow(/must return an ArrayBuffer/);
  });

  it('refuse columns that are missing, of the wrong type or too short', () => {
    const { codec, view } = ticksAt(0);
    const numberColumns = codec.allocateColumns(3, 'number');
    expect(() => codec.decodeColumnsInto(view, 0, 3, 'bigint', numberColumns, 0)).toThrow(
      /column "timestamp_us" must be a BigUint64Array/,
    );
    expect(() => codec.decodeColumnsInto(view, 0, 3, 'number', numberColumns, 1)).toThrow(
      /Feed "ticks": column "price" must be a Float64Array with room for rows \[1, 4\)/,
    );
    expect(() => codec.decodeColumnsInto(view, 0, 3, 'number', { price: new Float64Array(3) }, 0)).toThrow(
      /column "size"/,
    );
    expect(() => codec.decodeColumnsInto(view, 0, -1, 'number', numberColumns, 0)).toThrow(
      /record count must be a non-negative integer, got -1/,
    );
    expect(() => codec.allocateColumns(1.5, 'number')).toThrow(/got 1.5/);
  });

  it('refuse an output that is not an array, or a run that does not fit', () => {
    const { codec, view } = ticksAt(0);
    expect(() => codec.decodeTuples(view, 0, 1, 'number', {} as never, 0)).toThrow(
      /decode output must be an array/,
    );
    expect(() => codec.decodeTuples(view, 0, 1, 'number', [], -1)).toThrow(/output index/);
    expect(() => codec.decodeTuples(view, 24, 3, 'number', [], 0)).toThrow(
      /3 record\(s\) of 24 bytes at byte offset 24 do not fit in a view of 72 bytes/,
    );
    expect(() => codec.decodeObjects(view, 0, 1, 'text' as never, [], 0)).toThrow(/int64 must be/);
  });
});
