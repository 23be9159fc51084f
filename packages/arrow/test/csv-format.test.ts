// CSV cells come from integer arithmetic where String() would run its shortest-digits search:
// the text must be exactly what String() (and BigInt's toString) gives, for every value.
import type { FeedConfig } from '@deepwater/sdk';
import { describe, expect, it } from 'vitest';
import { csvLines } from '../src/csv.js';

/** A deterministic generator (xorshift), so a failure names a reproducible value. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

/** The batch's lines (it ends with a line break). */
function text(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).trimEnd().split('\n');
}

describe('CSV number text', () => {
  it('prints every float exactly as String() does (prices with few decimals, any double, edges)', () => {
    const random = generator(16);
    const values = [
      0,
      -0,
      0.5,
      -0.5,
      1e-4,
      -1e-4,
      5e-5,
      0.1 + 0.2,
      99_999_999_999.9999,
      1e11 + 0.5,
      123456789012.3456,
      1e15 + 0.5,
      2 ** 53,
      1e21,
      1.5e-7,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.NaN,
      Infinity,
      -Infinity,
    ];
    for (let i = 0; i < 60_000; i++) {
      const cents = Math.floor(random() * 1e9) - 5e8;
      values.push(
        cents / 100,
        cents / 10_000,
        cents / 1e6,
        cents * 1e-4,
        (random() - 0.5) * 10 ** (random() * 30 - 10),
      );
    }
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 20_000; i++) {
      view.setUint32(0, random() * 0x100000000);
      view.setUint32(4, random() * 0x100000000);
      values.push(view.getFloat64(0));
    }
    const spec = {
      feedName: 'floats',
      fields: [
        { name: 'f', type: 'float64' },
        { name: 'i', type: 'int32' },
      ],
      tsCol: 'i',
    } as unknown as FeedConfig;
    const ints = Int32Array.from(values, (_, i) => (i % 3 === 0 ? -i : i) * 7919);
    const lines = text(csvLines(spec, { f: Float64Array.from(values), i: ints }));
    const expected = values.map((v, i) => `${Object.is(v, -0) ? '-0' : String(v)},${ints[i]}`);
    expect(lines.filter((line, i) => line !== expected[i])).toEqual([]);
  });

  it('prints 64-bit integer columns exactly, signed and unsigned, on both sides of 2^31 and 2^53', () => {
    const random = generator(53);
    const unsigned = new BigUint64Array(100_000);
    const signed = new BigInt64Array(unsigned.length);
    const edges = [
      0n,
      1n,
      2n ** 31n - 1n,
      2n ** 31n,
      2n ** 32n,
      99_999_999n,
      100_000_000n,
      2n ** 53n - 2n ** 32n - 1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 64n - 1n,
      1_764_151_200_000_000n,
    ];
    for (let i = 0; i < unsigned.length; i++) {
      const bits = random() * 64;
      const value =
        i < edges.length
          ? edges[i]
          : BigInt(Math.floor(random() * 2 ** Math.min(bits, 53))) <<
            BigInt(Math.max(0, Math.floor(bits) - 53));
      unsigned[i] = value;
      signed[i] = BigInt.asIntN(64, i % 2 === 0 ? value : -value);
    }
    const spec = {
      feedName: 'numbers',
      fields: [
        { name: 'u', type: 'uint64' },
        { name: 's', type: 'int64' },
      ],
      tsCol: 'u',
    } as unknown as FeedConfig;
    const lines = text(csvLines(spec, { u: unsigned, s: signed }));
    const expected = Array.from(unsigned, (u, i) => `${u},${signed[i]}`);
    expect(lines.filter((line, i) => line !== expected[i])).toEqual([]);
  });
});
