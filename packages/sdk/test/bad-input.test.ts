import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeepwaterError } from '../src/index.js';
import { TRADE_FIELDS, tradeSpec, useTempBase } from './helpers/temp-base.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).name;
  }
  return undefined;
}

describe('bad input gets a clear error and writes nothing', () => {
  const t = useTempBase();

  it.each([
    [
      'unknown type',
      {
        fields: [
          { name: 'p', type: 'flaot64' },
          { name: 'ts', type: 'uint64' },
        ],
        tsCol: 'ts',
      },
      /flaot64/,
    ],
    [
      'duplicate field',
      {
        fields: [
          { name: 'ts', type: 'uint64' },
          { name: 'ts', type: 'uint64' },
        ],
        tsCol: 'ts',
      },
      /ts/,
    ],
    ['tsCol missing from fields', { fields: TRADE_FIELDS, tsCol: 'time' }, /time/],
    ['tsCol not a 64-bit integer', { fields: TRADE_FIELDS, tsCol: 'price' }, /price/],
    ['no fields', { fields: [], tsCol: 'ts' }, /field/],
    [
      'bad padding',
      {
        fields: [
          { name: 'x', type: '_0' },
          { name: 'ts', type: 'uint64' },
        ],
        tsCol: 'ts',
      },
      /_0/,
    ],
    [
      'chunk too small for a record',
      { fields: TRADE_FIELDS, tsCol: 'timestamp_us', chunkSizeMb: 0.00001 },
      /cannot hold one 24-byte record/,
    ],
    [
      'misspelled key',
      { fields: TRADE_FIELDS, tsCol: 'timestamp_us', retentionHour: 1 },
      /did you mean "retentionHours"/,
    ],
  ])('createFeed refuses a spec with %s (ERR_INVALID_SPEC naming it)', (_what, spec, message) => {
    const p = t.platform();
    expect(() => p.createFeed({ feedName: 'bad', ...spec } as never)).toThrow(message);
    expect(codeOf(() => p.createFeed({ feedName: 'bad', ...spec } as never))).toBe('ERR_INVALID_SPEC');
    expect(p.listFeeds()).toEqual([]);
    expect(existsSync(join(t.base(), 'feeds', 'bad'))).toBe(false);
  });

  it.each([['../x'], [''], ['a'.repeat(65)], ['.x'], ['a/b'], ['sp ace']])(
    'refuses the feed name %j everywhere',
    (name) => {
      const p = t.platform();
      expect(codeOf(() => p.createFeed(tradeSpec(name)))).toBe('ERR_INVALID_SPEC');
      expect(() => p.createWriter(name)).toThrow(RangeError);
      expect(() => p.createReader(name)).toThrow(/Invalid feed name/);
      expect(readdirSync(join(t.base(), 'feeds'))).toEqual([]);
    },
  );

  it('accepts a 64-character name and names with dots, dashes and underscores', () => {
    const p = t.platform();
    for (const name of ['a'.repeat(64), 'CB-TRADES-BTC-USD', 'x.y_z']) p.createFeed(tradeSpec(name));
    expect(p.listFeeds().map((f) => f.name)).toEqual(['CB-TRADES-BTC-USD', 'a'.repeat(64), 'x.y_z']);
  });

  it('treats the same spec again as a no-op and a different one as a conflict naming the setting', () => {
    const p = t.platform();
    const info = p.createFeed(tradeSpec('trades'));
    expect(p.createFeed(tradeSpec('trades'))).toEqual(info);
    expect(() => p.createFeed(tradeSpec('trades', { persist: false }))).toThrow(/Cannot change persist flag/);
    expect(() => p.createFeed(tradeSpec('trades', { fields: TRADE_FIELDS.slice().reverse() }))).toThrow(
      /fields differ/,
    );
    expect(() => p.createFeed(tradeSpec('trades', { chunkSizeMb: 1 }))).toThrow(/chunkSizeBytes differs/);
    expect(codeOf(() => p.createFeed(tradeSpec('trades', { retentionHours: 1 })))).toBe(
      'ERR_FEED_EXISTS_CONFLICT',
    );
  });

  it('refuses wrong values, arity and decreasing timestamps without writing anything', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: 0.0001 })); // 4 records per chunk
    const w = p.createWriter('trades');
    const r = p.createReader('trades');
    for (let i = 0; i < 4; i++) w.writeValues(1, 1, 100 + i); // the chunk is now full
    const before = p.feedStatus('trades');
    expect(() => w.writeValues(1, 1)).toThrow(/3/);
    expect(() => w.writeValues('1', 1, 200)).toThrow(/price/);
    expect(() => w.writeValues(1, 1, -1)).toThrow(/timestamp_us/);
    expect(() => w.writeValues(1, 1, 2 ** 64)).toThrow(/timestamp_us/);
    expect(() => w.writeValues(1, 1, 1.5)).toThrow(/timestamp_us/);
    expect(() => w.writeValues(1, 1, Number.NaN)).toThrow(/timestamp_us/);
    expect(() => w.writeValues(1, 1, 99)).toThrow(/non-decreasing, got 99 after 103/);
    expect(() => w.writeValues(1, 1, 99n)).toThrow(/non-decreasing/);
    expect(() => w.writeDict({ price: 1, size: 1 })).toThrow(/timestamp_us/);
    expect(() => w.writeDict({ price: 1, size: 1, timestamp_us: 200, extra: 1 })).toThrow(/extra/);
    expect(() => w.writeDict({ price: 1, size: 1, timestamp_us: 50 })).toThrow(/non-decreasing/);
    expect(() =>
      w.writeBatch([
        [1, 1, 200],
        [1, 1, 199],
      ]),
    ).toThrow(/batch row 1/);
    expect(() => w.writeBatch([[1, 1, 200], { price: 'x', size: 1, timestamp_us: 201 }])).toThrow(/price/);
    expect(() => w.writeBatch('rows' as never)).toThrow(/array of rows/);
    const after = p.feedStatus('trades');
    expect(after.records).toBe(before.records);
    expect(after.chunkCount).toBe(before.chunkCount); // no rotation for a refused record
    expect(r.range(0, 1e9)).toHaveLength(4);
    w.writeValues(2, 2, 103n); // equal timestamps are fine, bigint too
    expect(r.range(0, 1e9).at(-1)).toEqual([2, 2, 103]);
  });

  it('a refused batch leaves the chunk past its published records all zero', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { persist: true, chunkSizeMb: 1 }));
    const w = p.createWriter('trades');
    w.writeBatch([
      [1, 1, 100],
      [2, 2, 101],
    ]);
    // Refused at row 2 by a bad value, a decrease, a non-row; at row 1 by a bad object.
    expect(() =>
      w.writeBatch([
        [3, 3, 102],
        [4, 4, 103],
        ['x', 5, 104],
      ]),
    ).toThrow(/price/);
    expect(() =>
      w.writeBatch([
        [3, 3, 102],
        [4, 4, 103],
        [5, 5, 99],
      ]),
    ).toThrow(/batch row 2/);
    expect(() => w.writeBatch([[3, 3, 102], [4, 4, 103], null as never])).toThrow(/row 2 must be/);
    expect(() => w.writeBatch([{ price: 3, size: 3, timestamp_us: 102 }, { price: 4 }])).toThrow(/size/);
    w.close();
    const chunk = readFileSync(join(t.base(), 'feeds', 'trades', 'chunk-0000000001.dat'));
    // Past the 4 KiB header and the two 24-byte records: what the refused batches wrote is cleared.
    expect(chunk.subarray(4096 + 2 * 24).every((b) => b === 0)).toBe(true);
    const r = p.createReader('trades');
    expect(r.range(0, 1e9)).toEqual([
      [1, 1, 100],
      [2, 2, 101],
    ]);
  });

  it('throws after close, and a second close is a no-op', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades'));
    const w = p.createWriter('trades');
    const r = p.createReader('trades');
    w.close();
    w.close();
    r.close();
    r.close();
    expect(codeOf(() => w.writeValues(1, 1, 1))).toBe('ERR_CLOSED');
    expect(codeOf(() => r.range(0, 1))).toBe('ERR_CLOSED');
    p.close();
    p.close();
    expect(codeOf(() => p.listFeeds())).toBe('ERR_CLOSED');
  });

  it('names an unknown feed (with a suggestion) and an unknown format or option', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades'));
    let error: unknown;
    try {
      p.createReader('trade');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({ code: 'ERR_FEED_NOT_FOUND', feed: 'trade' });
    expect((error as Error).message).toMatch(/did you mean "trades"/);
    expect(codeOf(() => p.createWriter('nope'))).toBe('ERR_FEED_NOT_FOUND');
    expect(codeOf(() => p.feedStatus('nope'))).toBe('ERR_FEED_NOT_FOUND');
    expect(() => p.deleteFeed('nope')).toThrow(/not found/);
    expect(p.deleteFeed('nope', { missingOk: true })).toBe(false);
    const r = p.createReader('trades');
    expect(() => r.range(0, 1, { format: 'tuples' as never })).toThrow(
      /unknown format "tuples" \(did you mean "tuple"\?\)/,
    );
    expect(() => r.latest(60, { formt: 'raw' } as never)).toThrow(
      /unknown option "formt" \(did you mean "format"\?\)/,
    );
    expect(() => p.createReader('trades', { int64: 'big' as never })).toThrow(/int64/);
    expect(() => p.createWriter('trades', { durability: 'fsnyc' as never })).toThrow(/did you mean "fsync"/);
    expect(() => r.range(Number.NaN, 1)).toThrow(/start/);
  });
});
