// A corrupt, mistyped or unordered import file is refused with a clear error and nothing written:
// no record appended, and with --create no feed created.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeepwaterError, type Platform } from '@deepwater/sdk';
import {
  Float64,
  Int64,
  makeData,
  Table,
  Timestamp,
  TimeUnit,
  tableToIPC,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { exportFeed, ImportError, importFile } from '../src/index.js';
import { useBase } from './helpers.js';

const t = useBase();

function trades(p: Platform, name: string, sizeType = 'float64', records = 1000): void {
  p.createFeed({
    feedName: name,
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'size', type: sizeType },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
    chunkSizeMb: (100 * 24) / 1_048_576,
  });
  const w = p.createWriter(name);
  for (let i = 0; i < records; i++) w.writeValues(100 + i, i, 1_000_000 + i);
  w.close();
}

function count(p: Platform, name: string): number {
  const r = p.createReader(name);
  try {
    return (
      r.range(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { format: 'raw' }).length / r.recordSize
    );
  } finally {
    r.close();
  }
}

async function refused(promise: Promise<unknown>, message: RegExp): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  expect((error as ImportError).code).toBe('ERR_IMPORT');
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toMatch(/nothing was written$/);
  return error as ImportError;
}

describe.each(['parquet', 'arrow'] as const)('%s', (format) => {
  it('refuses a truncated file and writes nothing (feed neither created nor appended to)', async () => {
    const p = t.open();
    trades(p, 'src', 'float64', 20_000);
    const file = join(t.dir(), `src.${format}`);
    await exportFeed({ base: p, feed: 'src', format, out: file, batchSize: 1000, rowGroupSize: 1000 });
    const bytes = readFileSync(file);
    const cut = join(t.dir(), `cut.${format}`);
    if (format === 'arrow') {
      // Cut in the middle: the header survives, the data and footer do not.
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    } else {
      // Pages damaged in the middle: the first row groups read, a later one does not.
      bytes.fill(0xff, Math.floor(bytes.length * 0.4), Math.floor(bytes.length * 0.45));
      writeFileSync(cut, bytes);
    }
    await refused(importFile({ base: p, file: cut, feed: 'new', create: true, format }), /cannot be read as/);
    expect(p.listFeeds().map((f) => f.name)).toEqual(['src']);
    trades(p, 'dst', 'float64', 0);
    await refused(importFile({ base: p, file: cut, feed: 'dst', format }), /cannot be read as/);
    expect(count(p, 'dst')).toBe(0);
  });

  it('refuses a file whose column types do not match the feed, naming the field', async () => {
    const p = t.open();
    trades(p, 'src');
    trades(p, 'dst', 'uint32', 0);
    const file = join(t.dir(), `src.${format}`);
    await exportFeed({ base: p, feed: 'src', format, out: file });
    const error = await refused(
      importFile({ base: p, file, feed: 'dst' }),
      /column "size" is Float64.*feed "dst" field "size" is uint32/,
    );
    expect(error.field).toBe('size');
    expect(count(p, 'dst')).toBe(0);
  });
});

describe('arrow from another tool', () => {
  it('names the bad row counted from the start of the file, not of its batch', async () => {
    const p = t.open();
    p.createFeed({
      feedName: 'sides',
      fields: [
        { name: 'side', type: 'char' },
        { name: 'ts', type: 'int64' },
      ],
      tsCol: 'ts',
      tsUnit: 'ms',
    });
    // Two record batches of three rows; the fifth row (row 4) holds two characters.
    const batch = (sides: string[], from: number) =>
      new Table({
        side: vectorFromArray(sides, new Utf8()),
        ts: vectorFromArray(
          sides.map((_, i) => BigInt(from + i)),
          new Timestamp(TimeUnit.MILLISECOND),
        ),
      }).batches[0];
    const file = join(t.dir(), 'sides.arrow');
    writeFileSync(
      file,
      tableToIPC(new Table([batch(['B', 'S', 'B'], 10), batch(['S', 'BS', 'B'], 13)]), 'file'),
    );
    await refused(
      importFile({ base: p, file, feed: 'sides' }),
      /column "side" row 4 holds "BS", but a char field takes one character/,
    );
    expect(count(p, 'sides')).toBe(0);
    // A plain integer time column fills an int64 time field too.
    const ints = new Table({
      side: vectorFromArray(['B'], new Utf8()),
      ts: vectorFromArray([BigInt(20)], new Int64()),
    });
    writeFileSync(file, tableToIPC(ints, 'file'));
    expect((await importFile({ base: p, file, feed: 'sides' })).records).toBe(1);
  });
});

describe('a file with two timestamp columns (exchange and receive time)', () => {
  it('--create makes the second an int64 field naming its unit, and later files of that shape import', async () => {
    const p = t.open();
    // Timestamp vectors from their 64-bit values (apache-arrow's builder takes µs/ns as milliseconds).
    const stamps = (unit: TimeUnit, values: bigint[]) =>
      new Vector([
        makeData({ type: new Timestamp(unit), length: values.length, data: BigInt64Array.from(values) }),
      ]);
    const file = (name: string, from: number, recvUnit = TimeUnit.MICROSECOND) => {
      const path = join(t.dir(), name);
      const recv = [BigInt(from * 1000 + 7), BigInt(from * 1000 + 1008)];
      const table = new Table({
        price: vectorFromArray([1.5, 2.5], new Float64()),
        ts: stamps(TimeUnit.MILLISECOND, [BigInt(from), BigInt(from + 1)]),
        recv: stamps(recvUnit, recvUnit === TimeUnit.MICROSECOND ? recv : recv.map((v) => v * 1000n)),
      });
      writeFileSync(path, tableToIPC(table, 'file'));
      return path;
    };
    expect(
      (await importFile({ base: p, file: file('a.arrow', 10), feed: 'quotes', create: true })).records,
    ).toBe(2);
    const info = p.describeFeed('quotes');
    expect(info.tsCol).toBe('ts');
    expect(info.fields.find((f) => f.name === 'recv')).toMatchObject({
      type: 'int64',
      desc: 'timestamp: microseconds since the epoch',
    });
    // The next day's file of the same shape appends.
    expect((await importFile({ base: p, file: file('b.arrow', 20), feed: 'quotes' })).records).toBe(2);
    const r = p.createReader('quotes', { int64: 'bigint' });
    expect((r.range(0, Number.POSITIVE_INFINITY) as unknown[][]).map((row) => row[2])).toEqual([
      10_007n,
      11_008n,
      20_007n,
      21_008n,
    ]);
    r.close();
    // A receive time in another unit is refused: the field holds microseconds.
    await refused(
      importFile({ base: p, file: file('c.arrow', 30, TimeUnit.NANOSECOND), feed: 'quotes' }),
      /column "recv" is Timestamp<NANOSECOND> \(ns\), but feed "quotes" field "recv" is int64 \(expected an integer column of int64: a timestamp column fills the time column "ts", or a field whose description is "timestamp: nanoseconds since the epoch"\)/,
    );
    expect(count(p, 'quotes')).toBe(4);
  });
});

describe('csv', () => {
  it('refuses bad cells, unordered timestamps and missing columns; nothing written', async () => {
    const p = t.open();
    trades(p, 'dst', 'uint32', 3); // ts 1000000..1000002
    const write = (name: string, text: string) => {
      const file = join(t.dir(), name);
      writeFileSync(file, text);
      return file;
    };
    const cases: [string, RegExp][] = [
      [
        'price,size,ts\n1.5,2,2000000\n1.5,x,2000001\n',
        /line 3, column "size" \(uint32\): "x" is not an integer/,
      ],
      [
        'price,size,ts\n1.5,4294967296,2000000\n',
        /line 2, column "size" \(uint32\): 4294967296 is out of range/,
      ],
      [
        'price,size,ts\n1.5,2,2000005\n1.5,2,2000004\n',
        /timestamps go back from 2000005 to 2000004 at record 1 \(column "ts" of feed "dst"\)/,
      ],
      ['price,ts\n1.5,2000000\n', /header has no column "size"/],
      ['price,size,ts\n1.5,2,5\n', /must be non-decreasing, got 5 after 1000002/],
      ['', /it is empty/],
    ];
    for (const [text, message] of cases) {
      await refused(
        importFile({ base: p, file: write('bad.csv', text), feed: 'dst', format: 'csv' }),
        message,
      );
      expect(count(p, 'dst')).toBe(3);
    }
    // A feed that does not exist, without --create, and a CSV without its spec beside it.
    await refused(
      importFile({ base: p, file: write('ok.csv', 'price,size,ts\n1,2,3\n'), feed: 'nope' }),
      /feed "nope" does not exist \(pass --create/,
    );
    await refused(
      importFile({ base: p, file: join(t.dir(), 'ok.csv'), feed: 'nope', create: true }),
      /a CSV file carries no types/,
    );
    expect(p.listFeeds().map((f) => f.name)).toEqual(['dst']);
  });
});

describe('export options', () => {
  it('refuses a bad format, compression or row group size with a coded DeepwaterError', async () => {
    const p = t.open();
    trades(p, 'opts', 'float64', 10);
    const out = join(t.dir(), 'opts.out');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ format: 'xlsx' }, 'ERR_INVALID_ARGUMENT', /export format must be one of/],
      [
        { format: 'parquet', compression: 'lz5' },
        'ERR_INVALID_ARGUMENT',
        /parquet compression must be one of/,
      ],
      [{ format: 'parquet', rowGroupSize: 0 }, 'ERR_OUT_OF_RANGE', /row group size must be an integer >= 1/],
    ];
    for (const [options, code, message] of cases) {
      const error = await exportFeed({ base: p, feed: 'opts', out, ...options } as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeepwaterError);
      expect((error as DeepwaterError).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    }
  });
});
