import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { C_CHUNK_ID_OFFSET } from '../../../src/disk/chunk-layout.js';
import { Platform, runCleanup } from '../../../src/index.js';
import { FEED_SLOT_CAPACITY } from '../../../src/registry/layout.js';
import { cli } from '../../cli/run-cli.js';
import { readAll, type TestBase, tempBase, writeFeed } from '../helpers/bases.js';
import { chunkPath, feedDir, resealChunkHeader, withRegistry } from '../helpers/corrupt.js';

const NOW = Date.now() * 1000;
/** Chunks 4.. are moved this far up, so chunks 1..3 end up older than the registry's slot window. */
const SHIFT = FEED_SLOT_CAPACITY;

/**
 * A feed whose chunk ids span more than the registry's 16,384 slots (issue #14 item 11), built
 * without writing 16,384 chunks: chunks 4..8 of an 8-chunk feed get ids 16,388..16,392 (header
 * rewritten and re-sealed, seqs kept), and repair rebuilds the lost chunks.reg from the files. Chunks 1..3
 * then have no slot, exactly like the oldest chunks of a feed that rotated past the window.
 */
function spanMoreThanTheWindow(base: string): void {
  for (let id = 8; id >= 4; id--) {
    const bytes = readFileSync(chunkPath(base, id));
    bytes.writeUInt32LE(id + SHIFT, C_CHUNK_ID_OFFSET);
    writeFileSync(chunkPath(base, id + SHIFT), bytes);
    resealChunkHeader(chunkPath(base, id + SHIFT));
    renameSync(chunkPath(base, id), `${chunkPath(base, id)}.moved`);
  }
  unlinkSync(join(feedDir(base), 'chunks.reg')); // lost: repair rebuilds it from the chunk files
}

describe('chunks older than the registry slot window (issue #14 item 11)', () => {
  let base: TestBase | undefined;
  afterEach(() => base?.remove());

  it('stay reachable by every read, are checked by health and repair, and expire by retention', async () => {
    base = tempBase();
    // 10 records per chunk, 75 records: chunks 1..8, timestamps one second apart, 2 h old.
    const ts = Array.from({ length: 75 }, (_, i) => NOW - 2 * 3600e6 + i * 1e6);
    writeFeed(base.path, ts, { retentionHours: 1 });
    const original = readAll(base.path);
    spanMoreThanTheWindow(base.path);
    expect((await cli(['repair', '-b', base.path, '--all'])).code).toBe(0);
    withRegistry(base.path, (r) => {
      expect(r.lastChunkIdAcquire()).toBe(8 + SHIFT);
      expect(r.firstChunkId()).toBe(1);
      expect(r.chunk(1)).toBeUndefined(); // outside the window: no slot
    });
    expect(readAll(base.path)).toEqual(original);
    const p = new Platform(base.path);
    try {
      const reader = p.createReader('trades');
      expect(reader.range(ts[5], ts[12])).toEqual(original.slice(5, 12));
      expect((reader.rangeSeq(0, 100) as unknown[][]).map((r) => r[0])).toEqual(original.map((r) => r[0]));
      expect(reader.seqAt(ts[25])).toBe(25);
      const stream = reader.stream({ fromSeq: 0 });
      for (let i = 0; i < 75; i++) expect(stream.tryNext()).toEqual(original[i]);
      stream.close();
      const status = p.feedStatus('trades');
      expect(status.records).toBe(75);
      expect(status.chunks.map((c) => c.id)).toEqual([1, 2, 3, ...[4, 5, 6, 7, 8].map((id) => id + SHIFT)]);
      // The writer continues after the newest chunk, seqs after the last.
      const writer = p.createWriter('trades');
      writer.writeValues(75, 1, NOW);
      expect(reader.nextSeq()).toBe(76);
      writer.close();
    } finally {
      p.close();
    }
    const health = await cli([
      'health',
      '-b',
      base.path,
      '--check-feeds',
      '--max-age-seconds',
      '1e9',
      '--min-free-gb',
      '0',
    ]);
    expect(health.stdout).not.toMatch(/slot window|FAIL/);
    expect(health.code).toBe(0);
    const cleanup = runCleanup(base.path, { nowUs: NOW - 2 * 3600e6 + 25e6 + 3600e6 });
    expect(cleanup.deletedChunks).toBe(2); // chunks 1 and 2 (records 0..19) expired
    expect(readAll(base.path)).toEqual([...original.slice(20), [75, 1, NOW]]);
    withRegistry(base.path, (r) => expect(r.firstChunkId()).toBe(3));
  });
});
