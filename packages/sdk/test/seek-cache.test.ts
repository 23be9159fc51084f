// Time seeks make no old-space garbage in the chunk cache. Its LRU order was kept by deleting and
// re-inserting a chunk into a Map on every hit (and the same in the process-wide mapping budget):
// each hit left a deleted slot, so V8 rehashed the table into a new old-space one every few dozen
// hits. Over 100 k random seeks in a 100 M-record feed, the first writes to those fresh old-space
// pages were most of the page faults in the timed loop and the p99 tail (issue #20, "seek tails").
// Recency is now a stamp per entry; the eviction order stays least-recently-used, checked below.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/seek-cache.ts', import.meta.url));
const t = useTempBase();

function runFixture(mode: 'garbage' | 'lru'): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', FIXTURE, t.base(), mode], {
    encoding: 'utf8',
    timeout: 55_000,
  });
  expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({
    signal: null,
    status: 0,
    stderr: '',
  });
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
}

describe('chunk cache on the seek path', () => {
  it('50,000 random seeks over 40 chunks return the right record and leave < 512 KiB in old space', () => {
    const { wrong, oldSpaceGrowth } = runFixture('garbage');
    expect(wrong).toBe(0);
    // With the Map re-insertions: ~4.1 MB (checked); now a few KB.
    expect(oldSpaceGrowth).toBeLessThan(512 * 1024);
  });

  it('evicts the least recently used chunk, in a reader cache and in the process-wide budget', () => {
    expect(runFixture('lru')).toEqual({
      ownCount: 256,
      ownHas1: true,
      ownHas2: false,
      budget: [[1], [1, 2], [1, 2, 3], [1, 2, 3], [1, 3, 4], [1, 4, 5]],
    });
  });
});
