// The byte-level CSV import: floats exactly as Number() reads them, 64-bit integers exact at their
// extremes, RFC 4180 quoting whatever the block boundaries, and bad cells refused with nothing written.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedConfig, Platform } from '@deepwater/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvBatch, CsvColumnParser, parseFloatCell } from '../src/csv-parse.js';
import { ImportError, importFile } from '../src/index.js';
import { useBase } from './helpers.js';

const t = useBase();
const encoder = new TextEncoder();

/** What the import took before the byte parser (and what a float cell must still read as). */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function floatOf(text: string): number {
  const bytes = encoder.encode(`,${text},`);
  return parseFloatCell(bytes, 1, bytes.length - 1);
}

/** The property: the cell reads as exactly the double Number() gives (-0 and NaN included). */
function sameAsNumber(text: string): boolean {
  return Object.is(floatOf(text), numberOf(text));
}

describe('float cells', () => {
  const doubles = fc.double({ noDefaultInfinity: false, noNaN: false });
  const prints = (d: number, digits: number) => [
    String(d),
    Object.is(d, -0) ? '-0' : String(d),
    Number.isFinite(d) && Math.abs(d) < 1e21 ? d.toFixed(digits % 21) : String(d),
    d.toPrecision(1 + (digits % 100)),
    d.toExponential(digits % 101),
  ];

  it('reads every double as Number() does: shortest, fixed, precision and exponent forms', () => {
    fc.assert(
      fc.property(doubles, fc.nat(120), (d, digits) => prints(d, digits).every(sameAsNumber)),
      { numRuns: 20_000 },
    );
  });

  it('reads subnormals, powers of ten and halfway-looking decimals as Number() does', () => {
    const subnormal = fc.double({ min: -2.2250738585072014e-308, max: 2.2250738585072014e-308 });
    fc.assert(
      fc.property(subnormal, fc.nat(120), (d, digits) => prints(d, digits).every(sameAsNumber)),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -330, max: 310 }),
        (k) => sameAsNumber(`1e${k}`) && sameAsNumber((10 ** k).toString()),
      ),
    );
  });

  it('reads any string of digits, dots, signs and exponents as Number() does', () => {
    const chars = fc.constantFrom(...'0123456789012345678901234567890123456789.-+eE x_'.split(''));
    const decimal = fc.tuple(
      fc.boolean(),
      fc.stringMatching(/^[0-9]{0,25}$/),
      fc.boolean(),
      fc.stringMatching(/^[0-9]{0,25}$/),
    );
    fc.assert(
      fc.property(decimal, ([negative, whole, dot, fraction]) =>
        sameAsNumber(`${negative ? '-' : ''}${whole}${dot ? '.' : ''}${fraction}`),
      ),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 30 }), (c) => sameAsNumber(c.join(''))),
      {
        numRuns: 20_000,
      },
    );
    const edges = [
      '',
      ' ',
      '.',
      '-',
      '-.',
      '5.',
      '.5',
      '-.5',
      '-0',
      '-0.0',
      '00',
      '0x10',
      '+1',
      ' 1 ',
      'NaN',
      'Infinity',
    ];
    const limits = [
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '900719925474099.3',
      '0.1',
      '1.0000000000000002',
    ];
    for (const text of [
      ...edges,
      ...limits,
      `0.${'0'.repeat(21)}1`,
      `0.${'0'.repeat(22)}1`,
      `${'0'.repeat(30)}7`,
    ]) {
      expect(Object.is(floatOf(text), numberOf(text)), text).toBe(true);
    }
  });
});

const SPEC = {
  feedName: 'mixed',
  fields: [
    { name: 'side', type: 'char' },
    { name: 'qty', type: 'int16' },
    { name: 'price', type: 'float32' },
    { name: 'id', type: 'int64' },
    { name: 'ts', type: 'uint64' },
  ],
  tsCol: 'ts',
} as unknown as FeedConfig;

/** Every batch of a parse, its columns as plain arrays (for comparing two parses). */
function parseIn(blocks: Uint8Array[], batchSize: number): unknown[] {
  const out: CsvBatch[] = [];
  const parser = new CsvColumnParser(SPEC, batchSize, (message) => {
    throw new Error(message);
  });
  for (const block of blocks) parser.push(block, out);
  parser.end(out);
  return out.map((batch) =>
    Object.fromEntries(
      Object.entries(batch.columns).map(([name, column]) => [name, Array.from(column as never)]),
    ),
  );
}

describe('CSV records', () => {
  it('parses the same records whatever the block boundaries (quotes, CRLF, quoted line breaks, blank lines)', () => {
    const text =
      '"ts",extra,"si""de",side,qty,price,id\r\n' +
      '1,"a,b",x,B,-32768,1.5,-9223372036854775808\r\n' +
      '\r\n' +
      '2,"multi\nline","q""q","\n",32767,"2.25",9223372036854775807\n' +
      '3,,,"""",0,-0,"-1"\r\n' +
      '\n' +
      '4,"",,"é",7,NaN,00000000000000000000001\r\n' +
      '18446744073709551615,x,y,",",1,3.4028234663852886e+38,-4503599627370497';
    const bytes = encoder.encode(text);
    const whole = parseIn([bytes], 4);
    expect(whole).toEqual([
      {
        side: [66, 10, 34, 0xe9],
        qty: [-32768, 32767, 0, 7],
        price: [1.5, 2.25, -0, Number.NaN],
        id: [-9223372036854775808n, 9223372036854775807n, -1n, 1n],
        ts: [1n, 2n, 3n, 4n],
      },
      {
        side: [44],
        qty: [1],
        price: [Math.fround(3.4028234663852886e38)],
        id: [-4503599627370497n],
        ts: [18446744073709551615n],
      },
    ]);
    // Byte by byte: every boundary, inside quotes, between CR and LF, between "" pairs.
    const single = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(parseIn(single, 4)).toEqual(whole);
    for (const cut of [7, 13, 64, 101]) {
      const blocks = [];
      for (let i = 0; i < bytes.length; i += cut) blocks.push(bytes.subarray(i, i + cut));
      expect(parseIn(blocks, 4)).toEqual(whole);
    }
  });

  it('refuses a record longer than the limit (a file without line breaks is not held whole)', () => {
    const parser = new CsvColumnParser(
      SPEC,
      4,
      (message) => {
        throw new Error(message);
      },
      64,
    );
    parser.push(encoder.encode('ts,side,qty,price,id\n1,B,1,1,1\n2,"'), []);
    expect(() => parser.push(encoder.encode('x'.repeat(100)), [])).toThrow(
      /line 3: a record is longer than 64 bytes/,
    );
  });

  it('reads 64-bit integers exactly at and beyond 2^53, both signs, and refuses one past either end', () => {
    const unsigned = [
      0n,
      1n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      10n ** 15n,
      10n ** 19n,
      2n ** 63n,
      2n ** 64n - 1n,
    ];
    const signed = [
      0n,
      -1n,
      2n ** 53n + 1n,
      -(2n ** 53n) - 1n,
      -(2n ** 32n),
      2n ** 63n - 1n,
      -(2n ** 63n),
      -(2n ** 63n) + 1n,
    ];
    const random = fc.sample(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), 2_000);
    const rows = [...unsigned, ...random].map((u, i) => {
      const s = i < signed.length ? signed[i] : BigInt.asIntN(64, u);
      return { u, s };
    });
    const spec = {
      feedName: 'wide',
      fields: [
        { name: 'u', type: 'uint64' },
        { name: 's', type: 'int64' },
      ],
      tsCol: 'u',
    } as unknown as FeedConfig;
    const out: CsvBatch[] = [];
    const parser = new CsvColumnParser(spec, 512, (message) => {
      throw new Error(message);
    });
    parser.push(encoder.encode(`u,s\n${rows.map((r) => `${r.u},${r.s}`).join('\n')}\n`), out);
    parser.end(out);
    const u = out.flatMap((b) => Array.from(b.columns.u as BigUint64Array));
    const s = out.flatMap((b) => Array.from(b.columns.s as BigInt64Array));
    expect(u).toEqual(rows.map((r) => r.u));
    expect(s).toEqual(rows.map((r) => r.s));
    const refusals: [string, RegExp][] = [
      [`${2n ** 64n},0`, /column "u" \(uint64\): 18446744073709551616 is out of range/],
      [`${10n ** 20n},0`, /column "u" \(uint64\): 100000000000000000000 is out of range/],
      ['-1,0', /column "u" \(uint64\): -1 is out of range/],
      [`0,${2n ** 63n}`, /column "s" \(int64\): 9223372036854775808 is out of range/],
      [`0,${-(2n ** 63n) - 1n}`, /column "s" \(int64\): -9223372036854775809 is out of range/],
      ['0,1.5', /column "s" \(int64\): "1.5" is not an integer/],
      ['0,-', /column "s" \(int64\): "-" is not an integer/],
      ['0,', /column "s" \(int64\): "" is not an integer/],
    ];
    for (const [row, message] of refusals) {
      const refusing = new CsvColumnParser(spec, 8, (m) => {
        throw new Error(m);
      });
      expect(() => {
        refusing.push(encoder.encode(`u,s\n1,1\n${row}\n`), []);
        refusing.end([]);
      }).toThrow(message);
    }
  });
});

describe('importFile (csv)', () => {
  function feed(p: Platform): void {
    p.createFeed(SPEC as never);
  }

  function count(p: Platform): number {
    const r = p.createReader('mixed');
    try {
      return (
        r.range(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { format: 'raw' }).length / r.recordSize
      );
    } finally {
      r.close();
    }
  }

  it('refuses each kind of bad cell with its line, column and text, and writes nothing', async () => {
    const p = t.open();
    feed(p);
    const file = join(t.dir(), 'bad.csv');
    const header = 'side,qty,price,id,ts\n';
    // Line 2's record spans two lines (a quoted line break), so the bad record below starts on line 5.
    const good = 'B,1,1.5,1,10\n"\n",2,2.5,2,11\n';
    const cases: [string, RegExp][] = [
      ['S,3,abc,3,12', /line 5, column "price" \(float32\): "abc" is not a number/],
      ['S,3, ,3,12', /line 5, column "price" \(float32\): " " is not a number/],
      ['SS,3,1,3,12', /line 5, column "side" \(char\): "SS" is not one character/],
      ['€,3,1,3,12', /line 5, column "side" \(char\): "€" is not one character/],
      [',3,1,3,12', /line 5, column "side" \(char\): "" is not one character/],
      ['S,40000,1,3,12', /line 5, column "qty" \(int16\): 40000 is out of range -32768..32767/],
      ['S,1e3,1,3,12', /line 5, column "qty" \(int16\): "1e3" is not an integer/],
      ['S,3,1,0x10,12', /line 5, column "id" \(int64\): "0x10" is not an integer/],
      ['S,3,1,3', /line 5, column "ts" \(uint64\): missing value/],
      ['S,3,1,3,"12', /line 5: a quoted cell is not closed before the end of the file/],
    ];
    for (const [row, message] of cases) {
      // Good records after the bad one (none after an unclosed quote: they would be its cell).
      const after = row.includes('"') ? '' : good.replaceAll('1', '9');
      writeFileSync(file, `${header}${good}${row}\n${after}`);
      const error = await importFile({ base: p, file, feed: 'mixed', format: 'csv' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, row).toBeInstanceOf(ImportError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/nothing was written$/);
      expect(count(p)).toBe(0);
    }
    // The same file with the row fixed imports all five records.
    writeFileSync(file, `${header}${good}S,3,1,3,12\n`);
    expect((await importFile({ base: p, file, feed: 'mixed', format: 'csv' })).records).toBe(3);
  });
});
