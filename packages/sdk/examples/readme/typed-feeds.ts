import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineFeed, Platform } from '@deepwater/sdk';

const trades = defineFeed({
  feedName: 'trades',
  fields: [
    { name: 'price', type: 'float64' },
    { name: 'size', type: 'uint32' },
    { name: 'side', type: 'char' },
    { name: 'timestamp_us', type: 'uint64' },
  ],
  tsCol: 'timestamp_us',
});

const base = mkdtempSync(join(tmpdir(), 'dw-typed-'));
try {
  using p = new Platform(base);
  p.createFeed(trades);
  using w = p.createWriter(trades); // Writer typed from the schema
  w.writeValues(101.5, 200, 'B', 1_000); // (number, number, string | number, number | bigint)
  w.writeDict({ price: 101.25, size: 50, side: 'S', timestamp_us: 1_001n });

  using r = p.createReader(trades);
  const rows = r.range(0, 2_000); // Array<[number, number, string, number]>
  const cols = r.range(0, 2_000, { format: 'columnar' }); // { price: Float64Array, size: Uint32Array, ... }
  const big = p.createReader(trades, { int64: 'bigint' }).range(0, 2_000)[0]; // [number, number, string, bigint]
  console.log(rows[1]?.[2], cols.size[0], typeof big?.[3]); // S 200 bigint
} finally {
  rmSync(base, { recursive: true, force: true });
}
