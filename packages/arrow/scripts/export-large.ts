// Exports a large feed and reports the peak anonymous memory while doing it: the check that an
// export streams in constant memory. `node --import tsx scripts/export-large.ts --records 100000000
// --format parquet` is the 100 M-record run (2.4 GB of records: give /tmp the room, or --base DIR).
// Prints one JSON line. Anonymous memory (RssAnon) is what the export allocates; the feed's mapped
// chunk pages are the page cache's (shared, reclaimable) and are not counted.
// Run with --expose-gc and each progress point also collects garbage first and samples what is
// retained (`retainedAnonMB`, `importRetainedAnonMB`): the figure that grows if a run holds its
// range. The plain peak also counts garbage not yet collected, which moves with GC timing.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Platform } from '@deepwater/sdk';
import { type ExportFormat, exportFeed, importFile } from '../src/index.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '4000000' },
    format: { type: 'string', default: 'parquet' },
    base: { type: 'string' },
    'batch-size': { type: 'string', default: '65536' },
    /** Parquet rows per row group (default: the exporter's 1 Mi). */
    'row-group-size': { type: 'string' },
    /** Then import the exported file into a new feed and report that peak too. */
    import: { type: 'boolean', default: false },
  },
});
const records = Number(values.records);
const format = values.format as ExportFormat;
const base = values.base ?? mkdtempSync(join(tmpdir(), 'dw-export-large-'));
const RECORD_SIZE = 24;
const FILL_BATCH = 1 << 20;

function rssAnonBytes(): number {
  const line = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return line === null ? Number.NaN : Number(line[1]) * 1024;
}

const collectGarbage = globalThis.gc;

/** Peak anonymous memory over a baseline: as allocated, and (with --expose-gc) as retained. */
class MemoryWatch {
  readonly baseline: number;
  peak: number;
  retained: number;
  constructor() {
    collectGarbage?.();
    this.baseline = rssAnonBytes();
    this.peak = this.baseline;
    this.retained = this.baseline;
  }
  sample(): void {
    this.peak = Math.max(this.peak, rssAnonBytes());
    if (collectGarbage === undefined) return;
    collectGarbage();
    this.retained = Math.max(this.retained, rssAnonBytes());
  }
  growthMB(): number {
    return Math.round((this.peak - this.baseline) / 1e6);
  }
  retainedMB(): number | undefined {
    return collectGarbage === undefined ? undefined : Math.round((this.retained - this.baseline) / 1e6);
  }
}

const platform = new Platform(base);
try {
  platform.createFeed({
    feedName: 'large',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'size', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  const writer = platform.createWriter('large');
  const buffer = new Uint8Array(FILL_BATCH * RECORD_SIZE);
  const view = new DataView(buffer.buffer);
  const fillStarted = performance.now();
  for (let done = 0; done < records; done += FILL_BATCH) {
    const n = Math.min(FILL_BATCH, records - done);
    for (let i = 0; i < n; i++) {
      const k = done + i;
      view.setFloat64(i * RECORD_SIZE, 100 + (k % 1000) / 100, true);
      view.setFloat64(i * RECORD_SIZE + 8, (k % 7) + 1, true);
      view.setBigUint64(i * RECORD_SIZE + 16, 1_764_151_200_000_000n + BigInt(k), true);
    }
    writer.writeRaw(buffer.subarray(0, n * RECORD_SIZE));
  }
  writer.close();
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const exportMemory = new MemoryWatch();
  const out = join(base, `large.${format}`);
  const started = performance.now();
  const result = await exportFeed({
    base: platform,
    feed: 'large',
    format,
    out,
    batchSize: Number(values['batch-size']),
    ...(values['row-group-size'] === undefined ? {} : { rowGroupSize: Number(values['row-group-size']) }),
    onProgress: () => exportMemory.sample(),
  });
  const seconds = (performance.now() - started) / 1000;
  exportMemory.sample();
  let imported: object = {};
  if (values.import) {
    const importMemory = new MemoryWatch();
    const importStarted = performance.now();
    const result = await importFile({
      base: platform,
      file: out,
      feed: 'imported',
      create: true,
      onProgress: () => importMemory.sample(),
    });
    importMemory.sample();
    const importSeconds = (performance.now() - importStarted) / 1000;
    imported = {
      importedRecords: result.records,
      importSeconds,
      importRecPerSec: Math.round(result.records / importSeconds),
      importGrowthAnonMB: importMemory.growthMB(),
      importRetainedAnonMB: importMemory.retainedMB(),
    };
  }
  process.stdout.write(
    `${JSON.stringify({
      records: result.records,
      format,
      dataMB: (records * RECORD_SIZE) / 1e6,
      fileMB: statSync(out).size / 1e6,
      fillSeconds,
      exportSeconds: seconds,
      exportRecPerSec: Math.round(result.records / seconds),
      baselineAnonMB: Math.round(exportMemory.baseline / 1e6),
      peakAnonMB: Math.round(exportMemory.peak / 1e6),
      growthAnonMB: exportMemory.growthMB(),
      retainedAnonMB: exportMemory.retainedMB(),
      ...imported,
    })}\n`,
  );
} finally {
  platform.close();
  if (values.base === undefined) rmSync(base, { recursive: true, force: true });
}
