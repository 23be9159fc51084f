// Regression (seed): retention treated every rotated chunk as infinitely old once the registry's
// timestamp field stopped being maintained, and deleted them all. Cleanup must date a chunk by
// its own newest record, whatever the registry says.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cli } from '../../cli/run-cli.js';
import { readAll, secondsApart, type TestBase, tempBase, writeFeed } from '../helpers/bases.js';
import { chunkPath, withRegistry } from '../helpers/corrupt.js';

const NOW = Date.now() * 1000;
let base: TestBase;
beforeEach(() => {
  base = tempBase();
  writeFeed(base.path, secondsApart(35, NOW, 60e6), { retentionHours: 1 }); // all one minute old
});
afterEach(() => base.remove());

it('keeps fresh chunks whose registry timestamps are zeroed or missing', async () => {
  withRegistry(base.path, (r) => {
    for (const id of [1, 2, 3]) {
      const info = r.chunk(id)!;
      r.setChunkSummary(id, info.state, info.recordCount, 0, id === 2 ? Number.NaN : 0);
    }
  });
  const run = await cli(['cleanup', '--base-path', base.path, '--json'], { nowUs: NOW });
  expect(JSON.parse(run.stdout).deletedChunks).toBe(0);
  expect([1, 2, 3, 4].every((id) => existsSync(chunkPath(base.path, id)))).toBe(true);
  expect(readAll(base.path).length).toBe(35);
});
