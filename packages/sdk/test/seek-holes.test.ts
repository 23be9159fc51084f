// Seeks across holes: chunks removed by repair or retention, or whose registry slot is damaged,
// anywhere in a feed. Every record of the chunks that remain must be found by range, latest,
// stream({ start }) and dump, whatever chunk the search probes first.
import { closeSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRepair } from '../src/index.js';
import { setChunkState } from '../src/ops/feed-files.js';
import {
  CHUNK_REMOVED,
  FEED_HEADER_LENGTH,
  FEED_REGISTRY_FILE,
  FEED_SLOT_LENGTH,
  FS_CHUNK_ID_OFFSET,
} from '../src/registry/layout.js';
import { cli } from './cli/run-cli.js';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';
import { chunkPath, feedDir, withRegistry } from './ops/helpers/corrupt.js';

const PER_CHUNK = 4;
const CHUNKS = 20; // chunk 21 is the live one, holding the last records
const STAMPS = Array.from({ length: CHUNKS * PER_CHUNK + 2 }, (_, i) => 1_000 + i * 10);
const chunkOf = (index: number) => Math.floor(index / PER_CHUNK) + 1;

describe('seeks across holes in a feed', () => {
  const t = useTempBase();

  function writeFeed(): void {
    const p = t.open();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: (PER_CHUNK * 24) / 1_048_576 }));
    const w = p.createWriter('trades');
    STAMPS.forEach((ts, i) => {
      w.writeValues(i, 0, ts);
    });
    p.close();
  }

  /** Marks chunks removed as repair and cleanup do: the registry says removed, the file is gone. */
  function removeChunks(ids: number[]): void {
    withRegistry(t.base(), (registry) => {
      for (const id of ids) setChunkState(registry, id, CHUNK_REMOVED);
    });
    for (const id of ids) unlinkSync(chunkPath(t.base(), id));
  }

  function checkEveryRecordIsFound(missing: Set<number>): void {
    const kept = STAMPS.filter((_, i) => !missing.has(chunkOf(i)));
    const r = t.open().createReader('trades');
    const ts = (rows: unknown[]) => (rows as number[][]).map((row) => row[2]);
    expect(ts(r.range(0, Number.POSITIVE_INFINITY))).toEqual(kept);
    expect(ts(r.latest(3600))).toEqual(kept);
    for (const [i, stamp] of STAMPS.entries()) {
      const present = !missing.has(chunkOf(i));
      expect(ts(r.range(stamp, stamp + 1)), `range at ${stamp}`).toEqual(present ? [stamp] : []);
      expect(ts(r.range(stamp - 5, Number.POSITIVE_INFINITY)), `range from ${stamp - 5}`).toEqual(
        kept.filter((k) => k >= stamp - 5),
      );
      const s = r.stream({ start: stamp });
      const first = s.tryNext() as number[] | undefined;
      s.close();
      expect(first?.[2], `stream({ start: ${stamp} })`).toBe(kept.find((k) => k >= stamp));
    }
  }

  it('finds every record after repair marks a middle chunk removed', async () => {
    writeFeed();
    renameSync(chunkPath(t.base(), 8), join(t.base(), 'chunk-8.aside'));
    const report = runRepair(t.base(), { feeds: ['trades'] });
    expect(report.feeds[0].problems.map((p) => p.kind)).toContain('missing-chunk-file');
    withRegistry(t.base(), (registry) => expect(registry.chunk(8)?.state).toBe(CHUNK_REMOVED));
    checkEveryRecordIsFound(new Set([8]));
    const dump = await cli(['dump', 'trades', '--base-path', t.base(), '--format', 'csv']);
    expect(dump.code).toBe(0);
    expect(dump.stdout.trim().split('\n')).toHaveLength(1 + STAMPS.length - PER_CHUNK);
  });

  it('finds every record with holes at the start, in runs, and just before the live chunk', () => {
    writeFeed();
    const holes = [1, 2, 6, 10, 11, 12, 13, 14, 15, 16, 17, 20];
    removeChunks(holes);
    checkEveryRecordIsFound(new Set(holes));
  });

  it('finds every record when a registry slot chunk id is damaged (the file is still there)', () => {
    writeFeed();
    const fd = openSync(join(feedDir(t.base()), FEED_REGISTRY_FILE), 'r+');
    try {
      for (const id of [5, 9]) {
        // One flipped bit: bit 20 of the little-endian chunk id word is bit 4 of its third byte.
        const at = FEED_HEADER_LENGTH + (id - 1) * FEED_SLOT_LENGTH + FS_CHUNK_ID_OFFSET + 2;
        const byte = Buffer.alloc(1);
        readSync(fd, byte, 0, 1, at);
        byte[0] ^= 1 << 4;
        writeSync(fd, byte, 0, 1, at);
      }
    } finally {
      closeSync(fd);
    }
    withRegistry(t.base(), (registry) => {
      for (const id of [5, 9]) expect(registry.chunk(id)).toBeUndefined();
    });
    checkEveryRecordIsFound(new Set());
  });
});
