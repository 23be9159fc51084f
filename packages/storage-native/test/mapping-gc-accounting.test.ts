// What a mapping's ArrayBuffer adds to V8's external-memory count, the number V8 starts full
// collections from (64 MiB over its low point since the last one). Mapped pages are not memory a
// collection frees, so a mapping must not add its length: 8 chunk mappings of 64 MiB used to add
// 512 MiB and start a mark-compact per chunk in the middle of a replay (issue #20).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const PACKAGE_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MIB = 1024 * 1024;
const CHUNKS = 8;

/** V8's external memory (bytes) after each of a fixture's forced collections: before, held, let go. */
function externalMemoryAt(
  fixture: string,
  args: string[],
): { before: number; mapped: number; after: number } {
  const output = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--trace-gc',
      '--trace-gc-verbose',
      '--import',
      'tsx',
      path.join(PACKAGE_ROOT, 'test', 'fixtures', fixture),
      ...args,
    ],
    { cwd: PACKAGE_ROOT, encoding: 'utf8', maxBuffer: 64 * MIB },
  );
  // Each forced collection ("testing") is followed by its statistics, external memory included.
  const values: number[] = [];
  let afterForced = false;
  for (const line of output.split('\n')) {
    if (line.includes('testing;')) afterForced = true;
    const reported = /External memory reported:\s*(\d+) KB/.exec(line);
    if (afterForced && reported) {
      values.push(Number(reported[1]) * 1024);
      afterForced = false;
    }
  }
  expect(
    values.length,
    `V8's statistics after each forced collection:\n${output.slice(-2000)}`,
  ).toBeGreaterThanOrEqual(3);
  return { before: values[0], mapped: values[1], after: values[values.length - 1] };
}

// Node 24's V8 aborts the process when a decrease takes its count below zero, which cancelling
// ours can lead to: there, a mapping counts as V8 counts it (the fixture must still run cleanly).
const CANCELS_COUNT = Number(process.versions.node.split('.')[0]) <= 22;
const MAPPED_GROWTH_BOUND = CANCELS_COUNT ? 2 * 64 * MIB : CHUNKS * 66 * MIB;

describe('mappings in V8 external memory accounting', () => {
  it(`8 mapped 64 MiB chunks add ${CANCELS_COUNT ? 'at most one chunk' : 'what V8 counts, without aborting'}, and closing gives it all back`, () => {
    const { before, mapped, after } = externalMemoryAt('map-chunks-gc.ts', [
      tempDir(),
      String(CHUNKS),
      'close',
    ]);
    expect(mapped - before).toBeLessThan(MAPPED_GROWTH_BOUND);
    expect(Math.abs(after - before)).toBeLessThan(MIB);
  });

  it('mappings dropped without close() end with the count where it started once GC collected them', () => {
    const { before, mapped, after } = externalMemoryAt('map-chunks-gc.ts', [
      tempDir(),
      String(CHUNKS),
      'drop',
    ]);
    expect(mapped - before).toBeLessThan(MAPPED_GROWTH_BOUND);
    expect(Math.abs(after - before)).toBeLessThan(MIB);
  });
});

describe('allocateBuffer in V8 external memory accounting', () => {
  it('counts each buffer once (V8 counts an external buffer itself), and nothing once collected', () => {
    // Counted twice, 8 buffers of 16 MiB made V8 see 256 MiB and collect twice as often.
    const { before, mapped: held, after } = externalMemoryAt('allocate-gc.ts', ['8']);
    expect(held - before).toBeGreaterThan(8 * 16 * MIB - MIB);
    expect(held - before).toBeLessThan(8 * 16 * MIB + MIB);
    expect(Math.abs(after - before)).toBeLessThan(MIB);
  });
});

/** Full collections V8 started between a fixture's last two forced ones (its mappings' doing). */
function collectionsStarted(fixture: string, args: string[]): { started: number; trace: string } {
  const output = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--trace-gc',
      '--trace-incremental-marking',
      '--import',
      'tsx',
      path.join(PACKAGE_ROOT, 'test', 'fixtures', fixture),
      ...args,
    ],
    { cwd: PACKAGE_ROOT, encoding: 'utf8', maxBuffer: 64 * MIB },
  );
  const lines = output.split('\n');
  // gc() finishing a marking in progress is "testing" too, with the marking's steps: not a marker.
  const forced = lines.flatMap((line, i) =>
    /Mark-Compact.*testing/.test(line) && !line.includes('since start of marking') ? [i] : [],
  );
  expect(forced.length, output.slice(-2000)).toBeGreaterThanOrEqual(2);
  const between = lines.slice(forced.at(-2)! + 1, forced.at(-1)! + 1);
  const started = between.filter(
    (line) => line.includes('[IncrementalMarking] Start') || /Mark-Compact(?!.*testing)/.test(line),
  ).length;
  return { started, trace: between.join('\n') };
}

describe('closing a mapping and V8 garbage collection', () => {
  // V8 starts a full collection when its external-memory count rises 64 MiB over its low point.
  // Given back before the detach, the cancel of a 32 MiB mapping's count rose on top of the
  // buffer's own count: 64 MiB over the low point its creation set, a full GC per close.
  it('8 mappings of 32 MiB opened and closed beside 256 MiB of counted output start no GC', () => {
    const { started, trace } = collectionsStarted('map-close-gc.ts', [tempDir(), String(CHUNKS), '32']);
    expect(started, trace).toBe(0);
  });
});
