// How long aborting a stream takes to end a `for await` parked on an idle feed (disk and ring).
// node --import tsx scripts/abort-latency.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '../src/index.js';

const rounds = Number(process.argv[2] ?? 20);
const base = mkdtempSync(join(tmpdir(), 'dw-abort-'));
const p = new Platform(base, { logger: false });
try {
  for (const persist of [true, false]) {
    const name = persist ? 'disk' : 'ring';
    p.createFeed({
      feedName: name,
      fields: [
        { name: 'v', type: 'float64' },
        { name: 'ts', type: 'uint64' },
      ],
      tsCol: 'ts',
      persist,
      chunkSizeMb: 0.05,
    });
    const writer = p.createWriter(name);
    const reader = p.createReader(name);
    const waits: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const controller = new AbortController();
      const loop = (async () => {
        for await (const _ of reader.stream({ signal: controller.signal })) break;
      })();
      // Let the loop spin out and park (the futex wait or the attach timer) before aborting.
      await new Promise((resolve) => setTimeout(resolve, 5 + (i % 7) * 6));
      const abortedAt = performance.now();
      controller.abort();
      await loop;
      waits.push(performance.now() - abortedAt);
    }
    waits.sort((a, b) => a - b);
    const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]?.toFixed(3);
    console.log(
      `${name}: abort -> loop ended, ms: median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)} (${rounds} rounds)`,
    );
    reader.close();
    writer.close();
    p.deleteFeed(name);
  }
} finally {
  p.close();
  rmSync(base, { recursive: true, force: true });
}
