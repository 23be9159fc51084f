// A writer streaming in bulk (2 MiB or more between syncs) advises its chunks MADV_HUGEPAGE, so
// the page cache holds their records in folios of up to 2 MiB, which a reader's mapping maps a
// page-table entry per folio (FilePmdMapped in /proc/self/smaps): a 10 M-record replay's populate
// fell from ~10 ms to well under 1 ms (issue #20). A writer that syncs more often keeps page-sized
// folios: a dirty folio is written back whole. Runs where the kernel and the test's file system
// give a file huge folios at all (probed first); the records are checked everywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapFile } from '@deepwater/storage-native';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

const t = useTempBase();

const RECORD = 24;
const RECORDS_PER_CHUNK = (4 * 1024 * 1024) / 8; // 12 MiB of records: six 2 MiB folios and more
const BATCH = 10_000; // 240,000 bytes per writeBatch, as the bench's bulk load

/** FilePmdMapped in KiB of this process's mappings of files under `dir`, by file name. */
function pmdMapped(dir: string): Map<string, number> {
  const kib = new Map<string, number>();
  let current: string | undefined;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      const path = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s+(\S.*)$/.exec(line)?.[1];
      current = path?.startsWith(dir) ? path.split('/').at(-1) : undefined;
      continue;
    }
    const value = /^FilePmdMapped:\s+(\d+) kB/.exec(line)?.[1];
    if (current !== undefined && value !== undefined)
      kib.set(current, (kib.get(current) ?? 0) + Number(value));
  }
  return kib;
}

/** Whether a file written through a MADV_HUGEPAGE mapping is mapped by 2 MiB entries afterwards. */
function fileHugeFolios(dir: string): boolean {
  const path = join(dir, 'probe.bin');
  const writer = mapFile(path, { size: 8 << 20, create: true });
  writer.madvise('hugepage');
  new Uint8Array(writer.buffer).fill(1);
  writer.close();
  const reader = mapFile(path, { readOnly: true });
  try {
    reader.madvise('populate-read');
    return (pmdMapped(dir).get('probe.bin') ?? 0) > 0;
  } finally {
    reader.close();
  }
}

function createTicks(): ReturnType<typeof t.platform> {
  const platform = t.platform();
  platform.createFeed({
    feedName: 'ticks',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'size', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
    chunkSizeBytes: RECORDS_PER_CHUNK * RECORD,
  });
  return platform;
}

/** Writes three chunks' records in writeBatch calls of BATCH rows, flushing after each if asked. */
function fill(flushEach: boolean): { records: number } {
  const writer = createTicks().createWriter('ticks');
  const rows = Array.from({ length: BATCH }, () => [0, 1, 0]);
  const records = 3 * RECORDS_PER_CHUNK - BATCH;
  for (let done = 0; done < records; done += BATCH) {
    for (let i = 0; i < BATCH; i++) {
      (rows[i] as number[])[0] = (done + i) * 0.5;
      (rows[i] as number[])[2] = done + i;
    }
    writer.writeBatch(rows);
    if (flushEach) writer.flush();
  }
  writer.close();
  return { records };
}

/** Reads the whole feed back as columns (mapping and populating each chunk) and checks every record. */
function readBack(records: number): ReturnType<typeof pmdMapped> {
  const reader = t.platform().createReader('ticks');
  try {
    const out = reader.range(0, records, { format: 'columnar' }) as unknown as Record<string, Float64Array>;
    expect(out.ts.length).toBe(records);
    let wrong = 0;
    for (let i = 0; i < records; i++) {
      if (out.ts[i] !== i || out.price[i] !== i * 0.5 || out.size[i] !== 1) wrong++;
    }
    expect(wrong).toBe(0);
    return pmdMapped(join(t.base(), 'feeds', 'ticks'));
  } finally {
    reader.close();
  }
}

describe.runIf(process.platform === 'linux')('bulk writes and page-cache folios', () => {
  it('a writer streaming in bulk leaves its later chunks in 2 MiB folios', (context) => {
    const { records } = fill(false);
    const mapped = readBack(records);
    if (!fileHugeFolios(t.base())) context.skip(); // records checked; no file huge folios here
    // Chunk 2 was created while the writer streamed: advised before its first store.
    expect(mapped.get('chunk-0000000002.dat') ?? 0).toBeGreaterThanOrEqual(8 * 1024);
    expect(mapped.get('chunk-0000000003.dat') ?? 0).toBeGreaterThanOrEqual(8 * 1024);
  });

  it('one writeColumns call of three chunks leaves the chunks it creates in 2 MiB folios', (context) => {
    const records = 3 * RECORDS_PER_CHUNK - BATCH;
    const writer = createTicks().createWriter('ticks');
    const ts = Float64Array.from({ length: records }, (_, i) => i);
    expect(
      writer.writeColumns({ price: ts.map((v) => v * 0.5), size: new Float64Array(records).fill(1), ts }),
    ).toBe(records);
    writer.close();
    const mapped = readBack(records);
    if (!fileHugeFolios(t.base())) context.skip();
    expect(mapped.get('chunk-0000000002.dat') ?? 0).toBeGreaterThanOrEqual(8 * 1024);
    expect(mapped.get('chunk-0000000003.dat') ?? 0).toBeGreaterThanOrEqual(8 * 1024);
  });

  it('a writer that flushes after each 240 KB batch keeps page-sized folios', () => {
    const { records } = fill(true);
    const mapped = readBack(records);
    for (const name of ['chunk-0000000001.dat', 'chunk-0000000002.dat', 'chunk-0000000003.dat']) {
      expect(mapped.get(name) ?? 0).toBe(0);
    }
  });
});
