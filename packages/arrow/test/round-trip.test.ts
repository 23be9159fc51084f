// Export → import into a new feed → identical records, byte for byte, for Parquet, Arrow IPC and
// CSV; DuckDB reads every value of the Parquet and the CSV back (an Arrow IPC file DuckDB reads only
// through its arrow extension, downloaded at run time, not from the registry: apache-arrow reads it
// below); empty ranges; Arrow schema mapping and metadata.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '@deepwater/sdk';
import { Type } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type ExportFormat, exportFeed, importFile, readArrowBatches, toArrowTable } from '../src/index.js';
import { ALL_FIELDS, allRows, BASE_NS, duckdbRows, useBase } from './helpers.js';

const t = useBase();
const RECORDS = 2000;

function makeFeed(p: Platform, name: string, persist = true, records = RECORDS): void {
  p.createFeed({
    feedName: name,
    fields: ALL_FIELDS,
    tsCol: 'ts',
    tsUnit: 'ns',
    persist,
    // Disk: ~300 records per chunk, so exports cross chunks. Ring: room for all.
    chunkSizeMb: ((persist ? 300 : 2 * records) * 54) / 1_048_576,
  });
  const w = p.createWriter(name);
  w.writeBatch(allRows(records));
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

describe.each(['parquet', 'arrow', 'csv'] as ExportFormat[])('%s', (format) => {
  it.each([{ persist: true }, { persist: false }])(
    'round-trips every field type byte for byte (persist: $persist)',
    async ({ persist }) => {
      const p = t.open();
      makeFeed(p, 'src', persist);
      const out = join(t.dir(), `src.${format}`);
      const exported = await exportFeed({ base: p, feed: 'src', format, out, batchSize: 256 });
      expect(exported.records).toBe(RECORDS);
      const imported = await importFile({ base: p, file: out, feed: 'copy', create: true, batchSize: 300 });
      expect(imported).toEqual({ feed: 'copy', records: RECORDS, created: true });
      const copy = p.describeFeed('copy');
      expect(copy.fmt).toBe(p.describeFeed('src').fmt);
      expect(copy.tsUnit).toBe('ns');
      expect(raw(p, 'copy').equals(raw(p, 'src'))).toBe(true);
      // Into the existing feed again: refused (it would go back in time), nothing written.
      await expect(importFile({ base: p, file: out, feed: 'copy', format })).rejects.toThrow(
        /must be non-decreasing, got 1764151200000000000 after 176415120000000\d+ \(record 0\); nothing was written$/,
      );
      expect(raw(p, 'copy').equals(raw(p, 'src'))).toBe(true);
      for (const feed of ['src', 'copy']) p.deleteFeed(feed);
    },
  );

  it('exports an empty range as a valid file that imports as no records', async () => {
    const p = t.open();
    makeFeed(p, 'src', true, 10);
    const out = join(t.dir(), `empty.${format}`);
    const result = await exportFeed({
      base: p,
      feed: 'src',
      format,
      out,
      from: BASE_NS + 100n,
      to: BASE_NS + 200n,
    });
    expect(result.records).toBe(0);
    if (format === 'parquet') {
      expect(await duckdbRows(`SELECT count(*)::INTEGER AS n FROM '${out}'`)).toEqual([{ n: 0 }]);
    }
    const imported = await importFile({ base: p, file: out, feed: 'none', create: true });
    expect(imported.records).toBe(0);
    expect(raw(p, 'none').length).toBe(0);
  });
});

describe('Parquet read by DuckDB', () => {
  it('holds every value, 64-bit integers beyond 2^53 exact, time as TIMESTAMP_NS', async () => {
    const p = t.open();
    makeFeed(p, 'src');
    const out = join(t.dir(), 'src.parquet');
    await exportFeed({
      base: p,
      feed: 'src',
      format: 'parquet',
      out,
      compression: 'snappy',
      rowGroupSize: 500,
    });
    const [summary] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, max(u64)::VARCHAR AS max_u64, min(i64)::VARCHAR AS min_i64,
              typeof(any_value(ts)) AS ts_type, epoch_ns(max(ts))::VARCHAR AS max_ts,
              count(*) FILTER (WHERE side = 'é')::INTEGER AS accented, sum(u8)::INTEGER AS sum_u8
       FROM '${out}'`,
    );
    const rows = allRows(RECORDS);
    expect(summary).toEqual({
      n: RECORDS,
      max_u64: '18446744073709551615',
      min_i64: '-9223372036854775808',
      ts_type: 'TIMESTAMP_NS',
      max_ts: String(BASE_NS + BigInt(Math.floor((RECORDS - 1) / 3))),
      accented: rows.filter((r) => r[4] === 'é').length,
      sum_u8: rows.reduce((s, r) => s + (r[0] as number), 0),
    });
    const groups = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM parquet_metadata('${out}') GROUP BY row_group_id`,
    );
    expect(groups.length).toBe(RECORDS / 500);
  });
});

describe('DuckDB reads every value back', () => {
  // DuckDB's SQL type of each field, for the CSV (which carries no types) and the comparison.
  const SQL_TYPES: Record<string, string> = {
    u8: 'UTINYINT',
    i8: 'TINYINT',
    u16: 'USMALLINT',
    i16: 'SMALLINT',
    side: 'VARCHAR',
    u32: 'UINTEGER',
    i32: 'INTEGER',
    f32: 'FLOAT',
    u64: 'UBIGINT',
    i64: 'BIGINT',
    f64: 'DOUBLE',
    ts: 'UBIGINT',
  };
  const names = Object.keys(SQL_TYPES);

  it.each(['parquet', 'csv'] as const)(
    '%s: every row and field equals the feed, 64-bit values exact',
    async (format) => {
      const p = t.open();
      makeFeed(p, 'src');
      const out = join(t.dir(), `src.${format}`);
      await exportFeed({ base: p, feed: 'src', format, out, batchSize: 256 });
      const from =
        format === 'parquet'
          ? `'${out}'`
          : `read_csv('${out}', header = true, columns = {${names.map((n) => `'${n}': '${SQL_TYPES[n]}'`).join(', ')}})`;
      // The time column: a TIMESTAMP_NS in Parquet (read as its integer), the integer itself in CSV.
      const ts = format === 'parquet' ? 'epoch_ns(ts)::UBIGINT AS ts' : 'ts';
      const rows = await duckdbRows(
        `SELECT ${names.filter((n) => n !== 'ts').join(', ')}, ${ts} FROM ${from}`,
      );
      const r = p.createReader('src', { int64: 'bigint' });
      const expected = r.range(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY) as unknown[][];
      r.close();
      expect(rows.length).toBe(RECORDS);
      const differ = rows
        .map((row, i) => [i, names.map((n) => row[n]), expected[i]] as const)
        .filter(([, got, want]) => !got.every((v, k) => Object.is(v, want[k])));
      expect(differ.slice(0, 3)).toEqual([]);
    },
  );
});

describe('Arrow mapping', () => {
  it('maps every type, the time column to timestamp[ns], descriptions and spec as metadata', async () => {
    const p = t.open();
    makeFeed(p, 'src', true, 100);
    const r = p.createReader('src');
    const table = toArrowTable(r, BASE_NS, BASE_NS + 10n);
    expect(table.numRows).toBe(30);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      u8: 'Uint8',
      i8: 'Int8',
      u16: 'Uint16',
      i16: 'Int16',
      side: 'Utf8',
      u32: 'Uint32',
      i32: 'Int32',
      f32: 'Float32',
      u64: 'Uint64',
      i64: 'Int64',
      f64: 'Float64',
      ts: 'Timestamp<NANOSECOND>',
    });
    expect(table.schema.fields.find((f) => f.name === 'ts')?.typeId).toBe(Type.Timestamp);
    expect(table.schema.fields.find((f) => f.name === 'u64')?.metadata.get('description')).toBe(
      'beyond 2^53',
    );
    expect(JSON.parse(table.schema.metadata.get('deepwater:spec') as string)).toMatchObject({
      feedName: 'src',
      tsCol: 'ts',
      tsUnit: 'ns',
    });
    expect(table.getChild('u64')?.get(0)).toBe(18446744073709551615n);
    expect(table.getChild('side')?.get(2)).toBe('é');
    let rows = 0;
    for await (const batch of readArrowBatches(r, 0, Number.POSITIVE_INFINITY, { batchSize: 16 })) {
      expect(batch.numRows).toBeLessThanOrEqual(16);
      rows += batch.numRows;
    }
    expect(rows).toBe(100);
    r.close();
  });

  it('writes the CSV a spreadsheet expects: header, exact integers, quoted commas and quotes', async () => {
    const p = t.open();
    makeFeed(p, 'src', true, 5);
    const out = join(t.dir(), 'src.csv');
    await exportFeed({ base: p, feed: 'src', format: 'csv', out });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('u8,i8,u16,i16,side,u32,i32,f32,u64,i64,f64,ts');
    expect(lines[1]).toBe(
      '0,-128,65535,-32768,B,4294967295,-2147483648,0,18446744073709551615,-9223372036854775808,NaN,1764151200000000000',
    );
    expect(lines[4].split(',')[4]).toBe('"');
    expect(lines[5]).toContain(',"""",');
  });

  it('imports a quoted cell holding a line break (RFC 4180): CR, LF and CRLF line ends', async () => {
    const p = t.open();
    p.createFeed({
      feedName: 'dst',
      fields: [
        { name: 'side', type: 'char' },
        { name: 'size', type: 'uint32' },
        { name: 'ts', type: 'uint64' },
      ],
      tsCol: 'ts',
    });
    // Record 2's char is a line feed, record 3's a carriage return: both quoted, so each record
    // spans two physical lines; the file itself ends its lines with CRLF and has no final break.
    const file = join(t.dir(), 'multiline.csv');
    writeFileSync(file, 'side,size,ts\r\nB,1,10\r\n"\n",2,11\r\n"\r",3,12\r\n"""",4,13');
    const result = await importFile({ base: p, file, feed: 'dst', format: 'csv' });
    expect(result.records).toBe(4);
    const r = p.createReader('dst');
    const rows = r.range(0, 100, { format: 'tuple' }) as unknown as [string, number, number][];
    r.close();
    expect(rows.map((row) => [row[0], row[1], Number(row[2])])).toEqual([
      ['B', 1, 10],
      ['\n', 2, 11],
      ['\r', 3, 12],
      ['"', 4, 13],
    ]);
    // A quote never closed is refused with the line it opened on, and nothing is written.
    writeFileSync(file, 'side,size,ts\nB,1,20\n"\n,2,21\n');
    await expect(importFile({ base: p, file, feed: 'dst', format: 'csv' })).rejects.toThrow(
      /line 3: a quoted cell is not closed/,
    );
    const after = p.createReader('dst');
    expect(after.range(0, 100, { format: 'raw' }).length).toBe(4 * after.recordSize);
    after.close();
  });
});
