// A consumer of the published types: `tsc --noEmit` over this file must pass (consumer.test.ts
// runs it with and without @types/node). Every @ts-expect-error line must be an error, or tsc fails.
import {
  type AbortSignalLike,
  defineFeed,
  type Platform,
  type Reader,
  type RecordStream,
  type Writer,
} from '@deepwater/sdk';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<A>() {
  return { toBe: <B>(..._proof: Equal<A, B> extends true ? [] : [never]) => undefined };
}

const every = defineFeed({
  feedName: 'every',
  fields: [
    { name: 'u8', type: 'uint8' },
    { name: 'u16', type: 'uint16' },
    { name: 'u32', type: 'uint32' },
    { name: 'u64', type: 'uint64' },
    { name: 'i8', type: 'int8' },
    { name: 'i16', type: 'int16' },
    { name: 'i32', type: 'int32' },
    { name: 'i64', type: 'int64' },
    { name: 'f32', type: 'float32' },
    { name: 'gap', type: '_3' },
    { name: 'f64', type: 'float64' },
    { name: 'c', type: 'char' },
    { name: 'ts', type: 'uint64' },
  ],
  tsCol: 'ts',
});

export function typedFeeds(p: Platform): void {
  p.createFeed(every);
  const w = p.createWriter(every);
  w.writeValues(1, 2, 3, 4n, -1, -2, -3, 5, 1.5, 2.5, 'x', 10);
  w.writeValues(1, 2, 3, 4, -1, -2, -3, -5n, 1.5, 2.5, 65, 10n);
  w.writeTuple([1, 2, 3, 4, -1, -2, -3, 5, 1.5, 2.5, 'x', 10] as const);
  w.writeDict({
    u8: 1,
    u16: 2,
    u32: 3,
    u64: 4n,
    i8: 1,
    i16: 2,
    i32: 3,
    i64: 4,
    f32: 1,
    f64: 2,
    c: 'y',
    ts: 5,
  });
  w.writeBatch([
    [1, 2, 3, 4, -1, -2, -3, 5, 1.5, 2.5, 'x', 10],
    { u8: 1, u16: 2, u32: 3, u64: 4n, i8: 1, i16: 2, i32: 3, i64: 4, f32: 1, f64: 2, c: 'y', ts: 5 },
  ]);
  // @ts-expect-error one value missing
  w.writeValues(1, 2, 3, 4n, -1, -2, -3, 5, 1.5, 2.5, 'x');
  // @ts-expect-error one value too many (padding is omitted)
  w.writeValues(1, 2, 3, 4n, -1, -2, -3, 5, 1.5, 0, 2.5, 'x', 10);
  // @ts-expect-error a string where a number belongs
  w.writeValues('1', 2, 3, 4n, -1, -2, -3, 5, 1.5, 2.5, 'x', 10);
  // @ts-expect-error a bigint into a 32-bit field
  w.writeValues(1, 2, 3n, 4n, -1, -2, -3, 5, 1.5, 2.5, 'x', 10);
  // @ts-expect-error a tuple of the wrong length
  w.writeTuple([1, 2, 3]);
  const dict = {
    u8: 1,
    u16: 2,
    u32: 3,
    u64: 4n,
    i8: 1,
    i16: 2,
    i32: 3,
    i64: 4,
    f32: 1,
    f64: 2,
    c: 'y',
    ts: 5,
  };
  w.writeDict(dict);
  // @ts-expect-error an unknown key (padding has no key)
  w.writeDict({ ...dict, gap: 0 });
  // @ts-expect-error a value of the wrong type
  w.writeDict({ ...dict, c: true });
  // @ts-expect-error a missing key
  w.writeDict({ u8: 1 });

  const r = p.createReader(every);
  type Row = [number, number, number, number, number, number, number, number, number, number, string, number];
  const rows = r.range(0, 10);
  expectType<typeof rows>().toBe<Row[]>();
  const objects = r.range(0, 10, { format: 'object' });
  expectType<(typeof objects)[number]['c']>().toBe<string>();
  expectType<(typeof objects)[number]['u64']>().toBe<number>();
  // @ts-expect-error padding has no key
  objects[0]?.gap;
  const cols = r.latest(60, { format: 'columnar' });
  expectType<typeof cols.u8>().toBe<Uint8Array>();
  expectType<typeof cols.u16>().toBe<Uint16Array>();
  expectType<typeof cols.u32>().toBe<Uint32Array>();
  expectType<typeof cols.u64>().toBe<Float64Array>();
  expectType<typeof cols.i8>().toBe<Int8Array>();
  expectType<typeof cols.i16>().toBe<Int16Array>();
  expectType<typeof cols.i32>().toBe<Int32Array>();
  expectType<typeof cols.i64>().toBe<Float64Array>();
  expectType<typeof cols.f32>().toBe<Float32Array>();
  expectType<typeof cols.f64>().toBe<Float64Array>();
  expectType<typeof cols.c>().toBe<Uint8Array>();
  const stream = r.stream({ format: 'object' });
  expectType<typeof stream>().toBe<RecordStream<(typeof objects)[number]>>();
  expectType<ReturnType<typeof r.readAvailable<'raw'>>>().toBe<Uint8Array>();
  // scan()'s view: a getter per field typed as the object format's values, no padding key.
  for (const rec of r.scan(0, 10)) {
    expectType<typeof rec.f64>().toBe<number>();
    expectType<typeof rec.c>().toBe<string>();
    expectType<typeof rec.u64>().toBe<number>();
    expectType<typeof rec.$seq>().toBe<number>();
    expectType<ReturnType<typeof rec.toTuple>>().toBe<Row>();
    // @ts-expect-error padding has no getter
    rec.gap;
  }

  const big = p.createReader(every, { int64: 'bigint' });
  const bigRow = big.range(0, 10)[0];
  if (bigRow !== undefined) {
    expectType<(typeof bigRow)[3]>().toBe<bigint>();
    expectType<(typeof bigRow)[0]>().toBe<number>();
  }
  const bigCols = big.range(0, 10, { format: 'numpy' });
  expectType<typeof bigCols.u64>().toBe<BigUint64Array>();
  expectType<typeof bigCols.i64>().toBe<BigInt64Array>();
  expectType<typeof bigCols.ts>().toBe<BigUint64Array>();
  for (const rec of big.scanSeq(0, 10)) expectType<typeof rec.i64>().toBe<bigint>();

  // Name-based calls stay untyped.
  const loose = p.createReader('every');
  expectType<typeof loose>().toBe<Reader>();
  expectType<ReturnType<typeof loose.range<'tuple'>>>().toBe<unknown[][]>();
  for (const rec of loose.scan(0, 10)) expectType<typeof rec.anything>().toBe<unknown>();
  const looseWriter = p.createWriter('every');
  expectType<typeof looseWriter>().toBe<Writer>();
  looseWriter.writeValues('anything', 1n, {});
}

export async function disposal(p: Platform, signal: AbortSignalLike): Promise<number> {
  using r = p.createReader(every);
  await using s = r.stream({ signal, format: 'tuple' });
  let total = 0;
  for await (const row of s) total += row[9];
  return total;
}
