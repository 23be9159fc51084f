// A disk scan does not populate its chunks on its own thread: scan() maps every chunk of its
// extent, and populating them there (MADV_POPULATE_READ, synchronously) cost the scan's thread
// ~25-40 ms per 240 MB before its first record. Each chunk is populated on a threadpool thread
// instead, the one after the current chunk while the current one is read. What a mapping has
// populated is read from /proc/self/smaps (Rss: the pages this process has mapped in).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

const t = useTempBase();

const RECORDS_PER_CHUNK = 40_000; // 960,000 bytes of records per chunk
const CHUNKS = 4;

/** Rss in KiB of each mapping of a chunk file of this base, by chunk file name. */
function chunkRss(base: string): Map<string, number> {
  const rss = new Map<string, number>();
  let current: string | undefined;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const path = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s+(\S.*)$/.exec(line)?.[1];
    if (path !== undefined || /^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      const name = path?.startsWith(base) ? path.split('/').at(-1) : undefined;
      current = name?.startsWith('chunk-') ? name : undefined;
      continue;
    }
    const kib = /^Rss:\s+(\d+) kB/.exec(line)?.[1];
    if (current !== undefined && kib !== undefined) rss.set(current, (rss.get(current) ?? 0) + Number(kib));
  }
  return rss;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting until ${what}`);
}

describe.runIf(process.platform === 'linux')('disk scan() and page tables', () => {
  it('maps its chunks without populating them on its thread, then populates each ahead of it', async () => {
    const platform = t.platform();
    platform.createFeed({
      feedName: 'ticks',
      fields: [
        { name: 'price', type: 'float64' },
        { name: 'ts', type: 'uint64' },
        { name: 'seqNo', type: 'uint64' },
      ],
      tsCol: 'ts',
      chunkSizeBytes: RECORDS_PER_CHUNK * 24,
    });
    const writer = platform.createWriter('ticks');
    const rows = Array.from({ length: RECORDS_PER_CHUNK }, (_, i) => [i * 0.25, 0, i]);
    for (let c = 0; c < CHUNKS; c++) {
      for (let i = 0; i < rows.length; i++) (rows[i] as number[])[1] = c * RECORDS_PER_CHUNK + i;
      writer.writeBatch(rows);
    }
    writer.close();
    const reader = platform.createReader('ticks');

    const scan = reader.scan(0, Number.POSITIVE_INFINITY);
    const mapped = chunkRss(t.base());
    // Every chunk of the extent is mapped, none populated: 944 KiB each when populated; the
    // header read maps in its neighbourhood only (300-370 KiB here: a fault maps a whole folio).
    expect([...mapped.keys()].sort()).toEqual(
      [1, 2, 3, 4].map((id) => `chunk-${String(id).padStart(10, '0')}.dat`),
    );
    expect([...mapped].filter(([, kib]) => kib >= 600)).toEqual([]);

    // The first step moves onto chunk 1: chunk 2 is populated meanwhile, off this thread (it
    // reads nothing of chunk 2 here).
    const first = scan.next();
    expect(first.done).toBe(false);
    expect(first.value.seqNo).toBe(0);
    await until(() => (chunkRss(t.base()).get('chunk-0000000002.dat') ?? 0) >= 900, 'chunk 2 is populated');
    expect(chunkRss(t.base()).get('chunk-0000000003.dat')).toBeLessThan(600);

    let count = 1;
    for (const rec of scan) {
      expect(rec.seqNo).toBe(count % RECORDS_PER_CHUNK);
      count++;
    }
    expect(count).toBe(CHUNKS * RECORDS_PER_CHUNK);
    reader.close();
  });
});
