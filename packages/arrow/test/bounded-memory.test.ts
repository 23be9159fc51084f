// An export streams: the memory it holds does not grow with the range. The script exports a feed
// of N and of kN records in fresh processes and reports the peak anonymous memory it retains over
// its baseline, collecting garbage before each sample (uncollected garbage moves with GC timing:
// 3 to 29 MB for the same CSV import). The kN run may not hold more than a batch or row group
// beyond the N run. (The 100 M run is the same script: see README.)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/export-large.ts', import.meta.url));
const MB_SLACK = 24;

interface Report {
  records: number;
  dataMB: number;
  retainedAnonMB: number;
  importedRecords?: number;
  importRetainedAnonMB?: number;
}

function run(format: string, records: number, alsoImport = false): Report {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      SCRIPT,
      '--records',
      String(records),
      '--format',
      format,
      ...(alsoImport ? ['--import'] : []),
    ],
    {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    },
  );
  if (child.status !== 0) throw new Error(`export-large failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as Report;
}

// Arrow and CSV: 8x, so a range held whole (115 MB against 14 MB) stands far above the slack.
// Parquet: 4x, with 1 Mi-row groups. parquet-wasm's linear memory never shrinks and fragments up
// to a plateau (22, 37, 58, 62 MB retained for 0.6, 4.8, 9.6, 19.2 M records), so 8x would
// measure the plateau, not the range.
describe.each([
  { format: 'parquet', factor: 4 },
  { format: 'arrow', factor: 8 },
  { format: 'csv', factor: 8 },
])('$format export', ({ format, factor }) => {
  it(`holds no more for ${factor}x the records (bounded by a batch, not the range)`, () => {
    // The Arrow and CSV runs import the file back too: the import reads it once, a batch (and for
    // CSV a 1 MiB block) at a time. (A Parquet import holds up to two decoded 1 M-row groups:
    // bounded by the row group, which these sizes cannot tell from the range.)
    const alsoImport = format !== 'parquet';
    const records = 600_000 * factor;
    const small = run(format, 600_000, alsoImport);
    const large = run(format, records, alsoImport);
    expect(large.records).toBe(records);
    // The large range's records (24 bytes each) held whole would show here; a stream stays put.
    expect(large.retainedAnonMB, JSON.stringify({ small, large })).toBeLessThan(
      small.retainedAnonMB + MB_SLACK,
    );
    if (alsoImport) {
      expect(large.importedRecords).toBe(records);
      expect(large.importRetainedAnonMB, JSON.stringify({ small, large })).toBeLessThan(
        (small.importRetainedAnonMB ?? 0) + MB_SLACK,
      );
    }
  });
});
