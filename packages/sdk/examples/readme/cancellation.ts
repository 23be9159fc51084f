import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';

const base = mkdtempSync(join(tmpdir(), 'dw-cancel-'));
try {
  using p = new Platform(base);
  p.createFeed({
    feedName: 'ticks',
    fields: [
      { name: 'bid', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  using w = p.createWriter('ticks');
  using r = p.createReader('ticks');

  const controller = new AbortController();
  const seen: unknown[] = [];
  const consumer = (async () => {
    await using ticks = r.stream({ signal: controller.signal });
    for await (const tick of ticks) seen.push(tick); // ends when the signal aborts
  })();
  w.writeValues(1.25, 1);
  w.writeValues(1.5, 2);
  setTimeout(() => controller.abort(), 50); // e.g. on shutdown
  await consumer;
  console.log(seen.length); // 2
} finally {
  rmSync(base, { recursive: true, force: true });
}
