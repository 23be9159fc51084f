/**
 * Columnar bulk writes beside writeBatch, and the analytics interchange of @deepwater/arrow:
 *
 *   writeBatch | writeColumns | writeRaw ──▶ chunk file / ring            (65 536 records per call)
 *   chunk files ──range(raw)──▶ bytes  vs  ──export──▶ Parquet | Arrow IPC | CSV ──import──▶ feed
 *   Parquet ──DuckDB (count, sum, max)──▶ answer
 *
 * One child per persistence and repetition (children/dw-columnar.ts), unpinned like the replay.
 */
import { compileNative, runNative } from '../baselines/compile-native.js';
import { runChild } from '../core/child.js';
import { formatCount } from '../core/format.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { CHUNK_SIZE_MB } from './schemas.js';
import { messageOf } from './sdk-contract.js';

interface ColumnarResult {
  writes: Record<'writeBatch' | 'writeColumns' | 'writeRaw', number>;
  replayRaw?: number;
  exports?: Record<string, { rate: number; fileBytes: number }>;
  importParquet?: number;
  importCsv?: number;
  duckdbParquet?: number;
}

const WRITES = ['writeBatch', 'writeColumns', 'writeRaw'] as const;

export const columnarInterchange: Scenario = {
  id: 'dw.columnar',
  title: 'Deepwater columnar bulk writes, export and import',
  async run(context) {
    const records = context.profile.replayRecords;
    const rows: ResultRow[] = [];
    for (const persist of [true, false]) {
      const kind = persist ? 'disk' : 'ring';
      const section = `Columnar bulk writes, ${kind} (${formatCount(records)} 24-byte records, 65 536 per call)`;
      const results: ColumnarResult[] = [];
      let failure: string | undefined;
      try {
        for (let rep = 0; rep < context.profile.heavyReps; rep++) {
          results.push(
            await runChild<ColumnarResult>(
              'dw-columnar.js',
              { base: context.tempDir(`columnar-${kind}`), records, persist, writesOnly: !persist },
              context.pinning,
              { timeoutMs: 900_000, nodeArgs: ['--expose-gc', '--max-old-space-size=8192'] },
            ),
          );
        }
      } catch (error) {
        failure = messageOf(error);
      }
      const rateRow = (
        id: string,
        label: string,
        pick: (r: ColumnarResult) => number | undefined,
        s = section,
      ) => {
        const reps = results.map(pick).filter((v): v is number => v !== undefined);
        const row: ResultRow = { id, section: s, label };
        if (reps.length > 0 && failure === undefined) row.metric = { kind: 'rate', reps, bytesPerRecord: 24 };
        else row.unavailable = failure ?? 'no result';
        return row;
      };
      for (const method of WRITES) {
        rows.push(rateRow(`columnar.${kind}.${method}.24B`, `${method} ×65536`, (r) => r.writes[method]));
      }
      if (!persist) continue;
      rows.push(await fileFloorRow(context, section, records));
      const interchange = `Export and import with @deepwater/arrow (${formatCount(records)}-record disk feed)`;
      rows.push(
        rateRow(
          'interchange.replay.raw',
          'range() as raw (the replay exports read)',
          (r) => r.replayRaw,
          interchange,
        ),
      );
      for (const format of ['arrow', 'parquet', 'csv']) {
        const row = rateRow(
          `interchange.export.${format}`,
          `export to ${format === 'arrow' ? 'Arrow IPC' : format === 'parquet' ? 'Parquet (zstd)' : 'CSV'}`,
          (r) => r.exports?.[format]?.rate,
          interchange,
        );
        const bytes = results[0]?.exports?.[format]?.fileBytes;
        if (bytes !== undefined) row.note = `file ${(bytes / 1e6).toFixed(1)} MB`;
        rows.push(row);
      }
      rows.push(
        rateRow(
          'interchange.import.parquet',
          'import Parquet (checked, then writeColumns)',
          (r) => r.importParquet,
          interchange,
        ),
      );
      rows.push(
        rateRow(
          'interchange.import.csv',
          'import CSV (parsed from bytes, checked, then writeColumns)',
          (r) => r.importCsv,
          interchange,
        ),
      );
      rows.push(
        rateRow(
          'interchange.duckdb.parquet',
          'DuckDB reads the Parquet (count, sum, max)',
          (r) => r.duckdbParquet,
          interchange,
        ),
      );
    }
    return rows;
  },
};

/** The children's chunk size (CHUNK_SIZE_MB): whole 24-byte records per chunk file. */
const RECORDS_PER_CHUNK = Math.floor((CHUNK_SIZE_MB * 1024 * 1024) / 24);

/**
 * The true floor of disk writeRaw (native/filefloor.c): the same bytes written by C on one pinned
 * core into fresh chunk-sized files in a directory of the same file system as the children's feeds
 * (fallocate + mmap MAP_SHARED + MADV_POPULATE_WRITE + memcpy per chunk). Read the disk write rows
 * against it: on a VM, new file pages (allocated and zeroed by the kernel) bound the rate.
 */
async function fileFloorRow(context: ScenarioContext, section: string, records: number): Promise<ResultRow> {
  const row: ResultRow = {
    id: 'columnar.disk.floor.c-file',
    section,
    label: 'C floor, one core: fresh chunk files, memcpy',
  };
  try {
    const binary = compileNative('filefloor');
    const stdout = await runNative(
      binary,
      [
        context.tempDir('columnar-floor'),
        String(records),
        String(context.profile.heavyReps),
        String(RECORDS_PER_CHUNK),
      ],
      { pinning: context.pinning, cpu: 0 },
    );
    const rates = JSON.parse(stdout) as { raw: number[] };
    row.metric = { kind: 'rate', reps: rates.raw, bytesPerRecord: 24 };
    row.note =
      "no Deepwater, no V8: the same bytes in C on one pinned core into new 64 MB chunk files (fallocate, mmap, populate, memcpy) on the feeds' file system";
  } catch (error) {
    row.unavailable = messageOf(error);
  }
  return row;
}
