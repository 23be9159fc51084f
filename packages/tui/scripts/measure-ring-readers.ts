// What announcing ring readers (the dashboard's RDRS / LAG / LOST) costs the readers themselves:
//   pnpm --filter @deepwater/tui... build && node --import tsx packages/tui/scripts/measure-ring-readers.ts
//
//   writer (this process) ──▶ ring (/dev/shm) ──▶ reader cursor (this process), announced in
//   ring-readers.tbl or not (its claim is made to fail), interleaved A/B in one process.
//
// Scenarios, each the median of TRIALS runs per variant:
//   drain   a stream() from the start drains RECORDS records already in the ring (256 per refill)
//   idle    tryNext() on a caught-up stream: the spin-wait poll (announce() runs on every one)
//   trickle write 1 record, readAvailable() it: one announcement per record (the worst case)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';

// The same module instance the sdk's Platform uses (Node resolves the workspace link to dist/).
const tableModule = (await import(
  new URL('../../sdk/dist/ring/ring-readers-table.js', import.meta.url).href
)) as { RingReadersTable: { prototype: { claim: (kind: string) => unknown } } };
const { RingReadersTable } = tableModule;
const realClaim = RingReadersTable.prototype.claim;

const RECORDS = 1 << 20;
const IDLE_POLLS = 2_000_000;
const TRICKLE = 200_000;
const TRIALS = Number(process.env.TRIALS ?? 7);
const base = mkdtempSync(join(tmpdir(), 'dw-measure-ring-readers-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function nsPer(count: number, run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / count;
}

const platform = new Platform(base, { logger: false });
try {
  platform.createFeed({
    feedName: 'm',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'size', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
    persist: false,
    chunkSizeMb: (RECORDS * 24) / 1_048_576,
  });
  const writer = platform.createWriter('m');
  let ts = 1;
  for (let i = 0; i < RECORDS; i++) writer.writeValues(i, 1, ts++);

  const scenarios: Record<string, (announced: boolean) => number> = {
    drain: () => {
      const stream = platform.createReader('m').stream({ start: 0 });
      const ns = nsPer(RECORDS, () => {
        while (stream.tryNext() !== undefined) {}
      });
      stream.close();
      return ns;
    },
    idle: () => {
      const stream = platform.createReader('m').stream();
      const ns = nsPer(IDLE_POLLS, () => {
        for (let i = 0; i < IDLE_POLLS; i++) stream.tryNext();
      });
      stream.close();
      return ns;
    },
    trickle: () => {
      const reader = platform.createReader('m');
      reader.readAvailable();
      const ns = nsPer(TRICKLE, () => {
        for (let i = 0; i < TRICKLE; i++) {
          writer.writeValues(i, 1, ts++);
          reader.readAvailable();
        }
      });
      reader.close();
      return ns;
    },
  };

  const results: Record<string, { announced: number[]; unannounced: number[] }> = {};
  for (let trial = 0; trial < TRIALS; trial++) {
    for (const [name, run] of Object.entries(scenarios)) {
      results[name] ??= { announced: [], unannounced: [] };
      // Alternate which variant goes first, so warm-up and drift hit both.
      for (const announced of trial % 2 === 0 ? [true, false] : [false, true]) {
        RingReadersTable.prototype.claim = announced ? realClaim : () => null;
        (announced ? results[name].announced : results[name].unannounced).push(run(announced));
      }
    }
  }
  RingReadersTable.prototype.claim = realClaim;
  console.log(`node ${process.version}, ${TRIALS} trials per variant, median ns per record / poll / call`);
  console.log('scenario   announced  unannounced  difference');
  for (const [name, { announced, unannounced }] of Object.entries(results)) {
    const a = median(announced);
    const u = median(unannounced);
    console.log(
      `${name.padEnd(10)} ${a.toFixed(1).padStart(9)}  ${u.toFixed(1).padStart(11)}  ${(a - u).toFixed(1).padStart(10)}`,
    );
  }
  writer.close();
  platform.deleteFeed('m');
} finally {
  platform.close();
  rmSync(base, { recursive: true, force: true });
}
