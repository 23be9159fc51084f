// A CommonJS consumer (require of the ESM packages, Node >= 20.19): the types must match at compile time.
import sdk = require('@deepwater/sdk');

function openTyped(base: string): number {
  const trades = sdk.defineFeed({
    feedName: 'trades',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  using p = new sdk.Platform(base);
  p.createFeed(trades);
  using r = p.createReader(trades);
  const rows: [number, number][] = r.range(0, 10);
  // @ts-expect-error typed from the schema in CommonJS too
  const wrong: [string, number][] = r.range(0, 10);
  return rows.length + wrong.length;
}
export = openTyped;
