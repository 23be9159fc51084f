import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RecordCodec, TimeIndex } from '@deepwater/schema-wasm';
import { writeFileAtomic } from '../registry/atomic-file.js';
import type { ChunkFile } from './chunk-file.js';
import { DATA_OFFSET } from './chunk-layout.js';

/**
 * Mode 'IF': a persisted sparse time index per chunk, `index-<id, 10 digits>.dwi`, holding the
 * schema-wasm TimeIndex byte form (ARCHITECTURE.md "Time index") with key = the record's timestamp
 * and position = its index in the chunk, for every `stride`-th record. Written by the writer when the
 * chunk is sealed or the writer closes; a missing or stale index only makes seeks fall back to (or
 * extend) the plain binary search, so it never affects correctness.
 */
export const INDEX_TARGET_ENTRIES = 4096;

export function indexFileName(chunkId: number): string {
  return `index-${String(chunkId).padStart(10, '0')}.dwi`;
}

/** Records between index entries: about INDEX_TARGET_ENTRIES entries per full chunk. */
export function indexStride(recordsPerChunk: number): number {
  return Math.max(1, Math.ceil(recordsPerChunk / INDEX_TARGET_ENTRIES));
}

/** ChunkIndexBuilder — the writer's index of its current chunk (one entry every `stride` records). */
export class ChunkIndexBuilder {
  readonly stride: number;
  #index = new TimeIndex();

  constructor(stride: number) {
    this.stride = stride;
  }

  /** Called with every record's position; keeps the ones on the stride. */
  add(ts: number, position: number): void {
    // Keys must be safe integers; skipping one only makes the index sparser.
    if (position % this.stride === 0 && Number.isSafeInteger(ts)) this.#index.append(ts, position);
  }

  /** Rebuilds from a chunk's published records (a writer resuming a chunk). */
  rebuild(codec: RecordCodec, chunk: ChunkFile, count: number): void {
    this.#index.clear();
    for (let position = 0; position < count; position += this.stride) {
      this.add(codec.readTimestamp(chunk.view, DATA_OFFSET + position * chunk.recordSize), position);
    }
  }

  persist(feedDir: string, chunkId: number, mode?: number): void {
    writeFileAtomic(join(feedDir, indexFileName(chunkId)), this.#index.serialize(), mode);
  }

  reset(): void {
    this.#index.clear();
  }

  dispose(): void {
    this.#index.dispose();
  }
}

/** Loads a chunk's persisted index, or undefined if there is none (or it is unreadable). */
export function loadChunkIndex(feedDir: string, chunkId: number): TimeIndex | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(feedDir, indexFileName(chunkId)));
  } catch {
    return undefined;
  }
  try {
    return TimeIndex.deserialize(bytes);
  } catch {
    return undefined; // a damaged index is ignored: the binary search over the chunk still works
  }
}

/**
 * Narrows the lower-bound search for `ts` in a chunk of `count` records to the records between two
 * index entries: [lo, hi] such that the answer lies in it.
 */
export function narrowWithIndex(index: TimeIndex, ts: number, count: number): [number, number] {
  const i = index.lowerBound(ts);
  const lo = i === 0 ? 0 : Math.min(index.positionAt(i - 1) + 1, count);
  const hi = i === index.length ? count : Math.min(index.positionAt(i), count);
  return [lo, hi];
}
