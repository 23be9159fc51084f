import { describe, expect, it } from 'vitest';
import { DeepwaterError, defineFeed } from '../src/index.js';
import { useTempBase } from './helpers/temp-base.js';

const trades = defineFeed({
  feedName: 'trades',
  fields: [
    { name: 'price', type: 'float64' },
    { name: 'pad', type: '_2' },
    { name: 'side', type: 'char' },
    { name: 'qty', type: 'int64' },
    { name: 'timestamp_us', type: 'uint64' },
  ],
  tsCol: 'timestamp_us',
  chunkSizeMb: 0.01,
} as const);

describe('typed feeds (defineFeed)', () => {
  const { platform } = useTempBase();

  it('returns the spec and checks it at once', () => {
    expect(trades.feedName).toBe('trades');
    expect(() =>
      defineFeed({ feedName: 'bad', fields: [{ name: 'x', type: 'float65' }], tsCol: 'x' }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SPEC' }));
  });

  it('writes and reads through the spec as it does through the name', () => {
    const p = platform();
    p.createFeed(trades);
    using writer = p.createWriter(trades);
    writer.writeValues(1.5, 'b', 7n, 10);
    writer.writeTuple([2.5, 's', -3, 20]);
    writer.writeDict({ price: 3.5, side: 66, qty: 1, timestamp_us: 30 });
    const tuples: [number, string, number, number][] = p.createReader(trades).range(0, 100);
    expect(tuples).toEqual([
      [1.5, 'b', 7, 10],
      [2.5, 's', -3, 20],
      [3.5, 'B', 1, 30],
    ]);
    const big = p.createReader(trades, { int64: 'bigint' }).range(0, 100, { format: 'columnar' });
    expect(big.qty).toEqual(new BigInt64Array([7n, -3n, 1n]));
    expect(big.side).toEqual(new Uint8Array([98, 115, 66]));
    expect(p.createReader('trades').range(0, 100)).toEqual(tuples);
  });

  it("refuses a spec whose schema is not the stored feed's (ERR_SCHEMA_MISMATCH), naming the difference", () => {
    const p = platform();
    p.createFeed(trades);
    const other = defineFeed({ ...trades, fields: trades.fields.filter((f) => f.name !== 'side') });
    for (const open of [() => p.createWriter(other), () => p.createReader(other)]) {
      let error: unknown;
      try {
        open();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeepwaterError);
      expect(error).toMatchObject({ code: 'ERR_SCHEMA_MISMATCH', feed: 'trades' });
      expect((error as Error).message).toMatch(/Feed "trades".*fields differ/);
    }
    expect(() => p.createReader({ ...trades, feedName: 'nope' })).toThrow(
      expect.objectContaining({ code: 'ERR_FEED_NOT_FOUND' }),
    );
  });
});
