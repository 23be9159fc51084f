// The time column is a timestamp in every format and unit: Arrow IPC keeps the feed's unit,
// Parquet (which has no second unit) holds a second-unit feed as milliseconds, and each file
// imports back byte for byte. A timestamp column in another unit imports when it converts exactly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '@deepwater/sdk';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { exportFeed, ImportError, importFile } from '../src/index.js';
import { duckdbRows, useBase } from './helpers.js';

const t = useBase();
const UNITS = ['s', 'ms', 'us', 'ns'] as const;
const PER_SECOND = { s: 1n, ms: 1_000n, us: 1_000_000n, ns: 1_000_000_000n };
const EPOCH_S = 1_764_151_200n;

function makeFeed(p: Platform, name: string, unit: (typeof UNITS)[number], records = 50): void {
  p.createFeed({
    feedName: name,
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
    tsUnit: unit,
  });
  const w = p.createWriter(name);
  for (let k = 0; k < records; k++) w.writeValues(100 + k, EPOCH_S * PER_SECOND[unit] + BigInt(k));
  w.close();
}

function raw(p: Platform, name: string): Buffer {
  const r = p.createReader(name);
  try {
    return Buffer.from(r.range(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { format: 'raw' }));
  } finally {
    r.close();
  }
}

describe.each(UNITS)('a feed in %s', (unit) => {
  it('exports its time column as a timestamp DuckDB reads, and imports it back byte for byte', async () => {
    const p = t.open();
    makeFeed(p, 'src', unit);
    const parquet = join(t.dir(), 'src.parquet');
    const arrow = join(t.dir(), 'src.arrow');
    await exportFeed({ base: p, feed: 'src', format: 'parquet', out: parquet });
    await exportFeed({ base: p, feed: 'src', format: 'arrow', out: arrow });
    // Arrow IPC: the feed's own unit.
    const table = tableFromIPC(readFileSync(arrow));
    expect(String(table.schema.fields.find((f) => f.name === 'ts')?.type)).toBe(
      `Timestamp<${{ s: 'SECOND', ms: 'MILLISECOND', us: 'MICROSECOND', ns: 'NANOSECOND' }[unit]}>`,
    );
    // Parquet: a TIMESTAMP whatever the unit, the same instants.
    const [row] = await duckdbRows(
      `SELECT typeof(any_value(ts)) AS type, epoch_ns(max(ts))::VARCHAR AS last_ns FROM '${parquet}'`,
    );
    // (DuckDB reads a millisecond TIMESTAMP into its microsecond TIMESTAMP type.)
    expect(row.type).toBe(unit === 'ns' ? 'TIMESTAMP_NS' : 'TIMESTAMP');
    const lastNs = (EPOCH_S * PER_SECOND[unit] + 49n) * (1_000_000_000n / PER_SECOND[unit]);
    expect(row.last_ns).toBe(String(lastNs));
    for (const [file, feed] of [
      [parquet, 'from_parquet'],
      [arrow, 'from_arrow'],
    ]) {
      await importFile({ base: p, file, feed, create: true });
      expect(p.describeFeed(feed).tsUnit).toBe(unit);
      expect(raw(p, feed).equals(raw(p, 'src'))).toBe(true);
    }
  });
});

describe('a second-unit time beyond what Parquet milliseconds hold', () => {
  it('is refused naming the feed, field and value, and no file is left', async () => {
    const p = t.open();
    makeFeed(p, 'far', 's', 0);
    const w = p.createWriter('far');
    w.writeValues(1, 2n ** 62n); // 2^62 s: 2^62 * 1000 ms is beyond int64
    w.close();
    const out = join(t.dir(), 'far.parquet');
    await expect(exportFeed({ base: p, feed: 'far', format: 'parquet', out })).rejects.toThrow(
      /Feed "far": timestamp 4611686018427387904 s in "ts" is beyond what a Parquet millisecond timestamp holds/,
    );
    expect(existsSync(out)).toBe(false);
    // Arrow IPC holds it in seconds.
    await exportFeed({ base: p, feed: 'far', format: 'arrow', out: join(t.dir(), 'far.arrow') });
    // A uint64 time at 2^63 or beyond has no Arrow timestamp at all: the same error in every format.
    makeFeed(p, 'beyond', 'ns', 0);
    const b = p.createWriter('beyond');
    b.writeValues(1, 2n ** 63n);
    b.close();
    for (const format of ['parquet', 'arrow'] as const) {
      await expect(
        exportFeed({ base: p, feed: 'beyond', format, out: join(t.dir(), `beyond.${format}`) }),
      ).rejects.toThrow(/Feed "beyond": timestamp 9223372036854775808 in "ts" is beyond 2\^63 − 1/);
    }
  });
});

describe('a timestamp column in another unit', () => {
  it('imports when every value converts exactly, and is refused naming the value when one does not', async () => {
    const p = t.open();
    makeFeed(p, 'ms_feed', 'ms', 5); // ts EPOCH_S * 1000 + 0..4
    makeFeed(p, 'us_feed', 'us', 0);
    makeFeed(p, 's_feed', 's', 0);
    const file = join(t.dir(), 'ms.arrow');
    await exportFeed({ base: p, feed: 'ms_feed', format: 'arrow', out: file });
    // ms -> us: multiplied by 1000.
    expect((await importFile({ base: p, file, feed: 'us_feed' })).records).toBe(5);
    const r = p.createReader('us_feed', { int64: 'bigint' });
    expect((r.range(0, Number.POSITIVE_INFINITY) as unknown[][]).map((row) => row[1])).toEqual(
      [0n, 1n, 2n, 3n, 4n].map((k) => (EPOCH_S * 1000n + k) * 1000n),
    );
    r.close();
    // ms -> s: 1764151200001 ms is not a whole second.
    const error = await importFile({ base: p, file, feed: 's_feed' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toMatch(
      /column "ts" \(timestamp\[ms\]\) holds 1764151200001 at row 1, which is no whole number of s \(feed "s_feed"\); nothing was written$/,
    );
    expect(raw(p, 's_feed').length).toBe(0);
  });
});
