// CPU per 4 KiB page of a fresh chunk-sized file mapping (MAP_SHARED, as a disk chunk): first
// stores taking a page fault each, against the same stores after MADV_POPULATE_WRITE of each
// 1 MiB window ahead (what a populate-ahead writer would do). Interleaved, in one process. Usage:
//   taskset -c 1 node bench/ab/chunk-faults.mjs [dir=/tmp]
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = resolve(new URL('../..', import.meta.url).pathname);
const { mapFile } = await import(pathToFileURL(join(here, 'packages/storage-native/dist/index.js')).href);
const dir = process.argv[2] ?? '/tmp';
const WINDOW = 1 << 20;
const BYTES = 16 << 20;
const res = { fault: [], populate: [] };
for (let r = 0; r < 6; r++) {
  for (const mode of r % 2 ? ['fault', 'populate'] : ['populate', 'fault']) {
    const path = join(dir, `dw-chunk-faults-${process.pid}-${mode}.dat`);
    const m = mapFile(path, { size: 63 << 20, create: true });
    try {
      const b = new Uint8Array(m.buffer);
      b[0] = 1; // the header page, as at chunk creation (and its read-ahead)
      const c0 = process.cpuUsage();
      for (let o = 4096; o < BYTES; o += 4096) {
        if (mode === 'populate' && (o - 4096) % WINDOW === 0) m.madvise('populate-write', o, WINDOW);
        b[o] = 1;
      }
      const c = process.cpuUsage(c0);
      res[mode].push((c.user + c.system) / (BYTES / 4096 - 1));
    } finally {
      m.close();
      rmSync(path, { force: true });
    }
  }
}
for (const [k, v] of Object.entries(res))
  console.log(`${k}: ${v.map((x) => x.toFixed(2)).join(' ')} µs/page`);
