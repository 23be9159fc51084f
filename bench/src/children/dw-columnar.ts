/**
 * Columnar bulk writes and analytics interchange, one process:
 *
 *   writeBatch | writeColumns | writeRaw (CALL records per call) ──▶ chunk file (disk) or ring
 *   chunk files (N records) ──range(raw)──▶ bytes           (the replay the exports are read against)
 *   chunk files ──exportFeed──▶ .parquet | .arrow | .csv ──importFile (.parquet, .csv)──▶ new feed
 *   .parquet ──DuckDB──▶ count, sum(price), max(ts)
 *
 * Every rate is over the same N records of 24-byte ticks; each write method writes into its own
 * fresh feed, its inputs prepared outside the timed region.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { childMain, monoNow } from '../core/child-main.js';
import { CHUNK_SIZE_MB, TICK_24, TS_COL } from '../deepwater/schemas.js';

interface Params {
  base: string;
  records: number;
  persist: boolean;
  /** Measure the write methods only (the ring rows). */
  writesOnly: boolean;
}

export interface ColumnarResult {
  writes: Record<'writeBatch' | 'writeColumns' | 'writeRaw', number>;
  replayRaw?: number;
  exports?: Record<string, { rate: number; fileBytes: number }>;
  importParquet?: number;
  importCsv?: number;
  duckdbParquet?: number;
}

const CALL = 65_536;
const RECORD = 24;

childMain(async ({ base, records, persist, writesOnly }: Params): Promise<ColumnarResult> => {
  const { Platform } = await import('@deepwater/sdk');
  const platform = new Platform(base);
  try {
    const price = new Float64Array(records);
    const size = new Float64Array(records);
    const ts = new BigUint64Array(records);
    const raw = new Uint8Array(records * RECORD);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < records; i++) {
      price[i] = 101.25 + (i % 100) / 100;
      size[i] = 1 + (i % 7);
      ts[i] = BigInt(i);
      view.setFloat64(i * RECORD, price[i], true);
      view.setFloat64(i * RECORD + 8, size[i], true);
      view.setBigUint64(i * RECORD + 16, ts[i], true);
    }
    const rows = Array.from({ length: CALL }, () => [0, 0, 0]);
    const writes = {} as ColumnarResult['writes'];
    for (const method of ['writeBatch', 'writeColumns', 'writeRaw'] as const) {
      const feedName = `columnar-${method}`;
      platform.createFeed({
        feedName,
        fields: TICK_24,
        tsCol: TS_COL.tick,
        persist,
        chunkSizeMb: CHUNK_SIZE_MB,
      });
      const writer = platform.createWriter(feedName);
      let spent = 0;
      try {
        for (let done = 0; done < records; done += CALL) {
          const end = Math.min(done + CALL, records);
          let t0: number;
          if (method === 'writeBatch') {
            const batch = end - done === CALL ? rows : rows.slice(0, end - done);
            for (let i = done; i < end; i++) {
              const row = batch[i - done];
              row[0] = price[i];
              row[1] = size[i];
              row[2] = i;
            }
            t0 = monoNow();
            writer.writeBatch(batch);
          } else if (method === 'writeColumns') {
            const columns = {
              price: price.subarray(done, end),
              size: size.subarray(done, end),
              [TS_COL.tick]: ts.subarray(done, end),
            };
            t0 = monoNow();
            writer.writeColumns(columns);
          } else {
            const bytes = raw.subarray(done * RECORD, end * RECORD);
            t0 = monoNow();
            writer.writeRaw(bytes);
          }
          spent += monoNow() - t0;
        }
        writer.close();
      } catch (error) {
        // A ring feed lives in /dev/shm, outside the temp base the harness removes.
        writer.close();
        platform.deleteFeed(feedName);
        throw error;
      }
      writes[method] = (records * 1e9) / spent;
      if (method !== 'writeRaw' || writesOnly) platform.deleteFeed(feedName);
    }
    if (writesOnly) return { writes };

    const { exportFeed, importFile } = await import('@deepwater/arrow');
    const feed = 'columnar-writeRaw';
    const reader = platform.createReader(feed);
    globalThis.gc?.();
    let t0 = monoNow();
    const replayed = reader.range(0, Number.POSITIVE_INFINITY, { format: 'raw' });
    const replayRaw = (records * 1e9) / (monoNow() - t0);
    if (replayed.byteLength !== records * RECORD) throw new Error('raw replay returned a wrong count');
    reader.close();
    const exports: NonNullable<ColumnarResult['exports']> = {};
    for (const format of ['arrow', 'parquet', 'csv'] as const) {
      const out = join(base, `export.${format}`);
      globalThis.gc?.();
      t0 = monoNow();
      const result = await exportFeed({ base: platform, feed, format, out });
      const seconds = (monoNow() - t0) / 1e9;
      if (result.records !== records) throw new Error(`export ${format} wrote ${result.records} records`);
      exports[format] = { rate: records / seconds, fileBytes: statSync(out).size };
    }
    t0 = monoNow();
    const imported = await importFile({
      base: platform,
      file: join(base, 'export.parquet'),
      feed: 'imported',
      create: true,
    });
    const importParquet = (records * 1e9) / (monoNow() - t0);
    if (imported.records !== records) throw new Error(`import wrote ${imported.records} records`);
    globalThis.gc?.();
    t0 = monoNow();
    const importedCsv = await importFile({
      base: platform,
      file: join(base, 'export.csv'),
      feed: 'imported-csv',
      create: true,
    });
    const importCsv = (records * 1e9) / (monoNow() - t0);
    if (importedCsv.records !== records) throw new Error(`CSV import wrote ${importedCsv.records} records`);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    t0 = monoNow();
    const answer = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS n, sum(price) AS s, max(${TS_COL.tick}) AS m FROM '${join(base, 'export.parquet')}'`,
    );
    const duckdbParquet = (records * 1e9) / (monoNow() - t0);
    if (Number(answer.getRowObjectsJS()[0].n) !== records)
      throw new Error('DuckDB counted a wrong number of rows');
    connection.closeSync();
    db.closeSync();
    return { writes, replayRaw, exports, importParquet, importCsv, duckdbParquet };
  } finally {
    platform.close();
  }
});
