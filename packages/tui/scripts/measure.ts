// What the dashboard costs, and whether it slows a writer:
//   pnpm --filter @deepwater/tui... build && node --import tsx packages/tui/scripts/measure.ts
//
//   writer process ──▶ feed (mmap) ◀── poller (this process: feedStatus() at 30 Hz, or not at all)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Platform } from '@deepwater/sdk';
import { openPlatformSource, Poller } from '../src/index.js';

const FEEDS = 50;
const TRIALS = 5;
const WRITER = fileURLToPath(new URL('./measure-writer.ts', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'dw-measure-tui-'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

try {
  const platform = new Platform(base);
  for (let f = 0; f < FEEDS; f++) {
    const name = `feed-${f}`;
    platform.createFeed({
      feedName: name,
      fields: [
        { name: 'price', type: 'float64' },
        { name: 'size', type: 'float64' },
        { name: 'ts', type: 'uint64' },
      ],
      tsCol: 'ts',
      chunkSizeMb: 1,
    });
    const w = platform.createWriter(name);
    // ~4 chunks per feed, so status walks a realistic chunk table.
    for (let i = 0; i < 160_000; i++) w.writeValues(1, 2, 1_700_000_000_000_000 + i);
    w.close();
  }
  platform.close();

  const source = await openPlatformSource(base);
  const poller = new Poller(source, { intervalMs: 0 });
  const samples: number[] = [];
  const snapshots: number[] = [];
  for (let i = 0; i < 300; i++) {
    let t = performance.now();
    source.snapshot();
    snapshots.push((performance.now() - t) * 1000);
    t = performance.now();
    poller.sampleNow();
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  snapshots.sort((a, b) => a - b);
  console.log(
    `sdk status of ${FEEDS} feeds alone (source.snapshot()): p50 ${percentile(snapshots, 0.5).toFixed(0)} µs`,
  );
  console.log(
    `poll of ${FEEDS} disk feeds (~4 chunks each), snapshot + rates + states: ` +
      `p50 ${percentile(samples, 0.5).toFixed(0)} µs, p99 ${percentile(samples, 0.99).toFixed(0)} µs ` +
      `(${((percentile(samples, 0.5) * 4) / 1e4).toFixed(2)}% of one core at 4 Hz)`,
  );

  const runWriter = () =>
    Number(
      spawnSync(process.execPath, ['--import', 'tsx', WRITER, base, 'feed-0', '3'], { encoding: 'utf8' })
        .stdout,
    );
  const results: Record<string, number[]> = { alone: [], 'polled at 30 Hz': [] };
  for (let trial = 0; trial < TRIALS; trial++) {
    results.alone.push(runWriter());
    const timer = setInterval(() => poller.sampleNow(), 33);
    // spawnSync would block the poller's timer: run the writer asynchronously here.
    const rate = await new Promise<number>((resolve) => {
      import('node:child_process').then(({ execFile }) =>
        execFile(process.execPath, ['--import', 'tsx', WRITER, base, 'feed-0', '3'], (_e, out) =>
          resolve(Number(out)),
        ),
      );
    });
    clearInterval(timer);
    results['polled at 30 Hz'].push(rate);
  }
  for (const [label, rates] of Object.entries(results)) {
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(
      `writer ${label}: median ${(sorted[Math.floor(sorted.length / 2)] / 1e6).toFixed(2)} M rec/s (trials: ${rates.map((r) => (r / 1e6).toFixed(2)).join(', ')})`,
    );
  }
  source.close();
} finally {
  rmSync(base, { recursive: true, force: true });
}
