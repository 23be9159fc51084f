// The README's as-of join recipe, run as written: trades and quotes feeds exported to Parquet,
// joined in DuckDB with ASOF JOIN, each trade's quote checked against reader.asOf().
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exportFeed } from '../src/index.js';
import { duckdbRows, useBase } from './helpers.js';

const t = useBase();
const T0 = 1_764_151_200_000_000; // µs

/** The SQL of the README block marked `<!-- asof-join -->`. */
function recipeSql(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- asof-join -->\s*```sql\n([\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('README.md has no ```sql block after <!-- asof-join -->');
  return block[1];
}

it('finds for every trade the quote in force, as reader.asOf does', async () => {
  const p = t.open();
  p.createFeed({
    feedName: 'quotes',
    fields: [
      { name: 'bid', type: 'float64' },
      { name: 'ask', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  p.createFeed({
    feedName: 'trades',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'size', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  const quotes = p.createWriter('quotes');
  for (let i = 0; i < 200; i++) quotes.writeValues(100 + i / 100, 100.02 + i / 100, T0 + i * 1000);
  quotes.close();
  const trades = p.createWriter('trades');
  // One trade before the first quote (no quote in force), one exactly on a quote, the rest between.
  trades.writeValues(99.9, 1, T0 - 5);
  trades.writeValues(100.01, 2, T0 + 3000);
  for (let i = 0; i < 50; i++) trades.writeValues(100 + i / 25, 1 + (i % 4), T0 + 3001 + i * 3777);
  trades.close();

  const dir = t.dir();
  await exportFeed({ base: p, feed: 'trades', format: 'parquet', out: join(dir, 'trades.parquet') });
  await exportFeed({ base: p, feed: 'quotes', format: 'parquet', out: join(dir, 'quotes.parquet') });
  const sql = recipeSql()
    .replaceAll("'trades.parquet'", `'${join(dir, 'trades.parquet')}'`)
    .replaceAll("'quotes.parquet'", `'${join(dir, 'quotes.parquet')}'`);
  const rows = await duckdbRows(sql);

  const quoteReader = p.createReader('quotes');
  const tradeRows = p.createReader('trades').range(0, Number.POSITIVE_INFINITY) as number[][];
  // ASOF JOIN is an inner join: the trade before the first quote has no row.
  const expected = tradeRows
    .map(([price, , ts]) => ({ ts, price, quote: quoteReader.asOf(ts) as number[] | undefined }))
    .filter((row) => row.quote !== undefined);
  expect(rows.length).toBe(tradeRows.length - 1);
  expect(
    rows.map((row) => ({
      ts: Number(row.ts_us),
      bid: row.bid,
      ask: row.ask,
      vs_mid: Math.round((row.vs_mid as number) * 1e6),
    })),
  ).toEqual(
    expected.map(({ ts, price, quote }) => ({
      ts,
      bid: quote?.[0],
      ask: quote?.[1],
      vs_mid: Math.round((price - ((quote?.[0] as number) + (quote?.[1] as number)) / 2) * 1e6),
    })),
  );
  quoteReader.close();
});
