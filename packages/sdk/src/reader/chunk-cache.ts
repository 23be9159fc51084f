import type { TimeIndex } from '@deepwater/schema-wasm';
import { ChunkFile } from '../chunk/chunk-file.js';
import { loadChunkIndex } from '../chunk/chunk-index.js';

/** Mappings kept for seeks and range reads; older ones are unmapped so a big feed is never mapped whole. */
const CACHED_CHUNKS = 4;
const CACHED_INDEXES = 64;

/** ChunkCache — a reader's few most recently used read-only chunk mappings (LRU). */
export class ChunkCache {
  readonly #feedDir: string;
  readonly #feed: string;
  readonly #chunks = new Map<number, ChunkFile>();
  /** Chunks whose memory was handed out zero-copy: never unmapped by us, only dropped (GC unmaps). */
  readonly #escaped = new Set<ChunkFile>();
  /** Mode 'IF': persisted sparse indexes of sealed chunks (final, so cached until evicted). */
  readonly #indexes = new Map<number, TimeIndex>();
  readonly #useIndexes: boolean;

  constructor(feedDir: string, feed: string, options: { useIndexes?: boolean } = {}) {
    this.#feedDir = feedDir;
    this.#feed = feed;
    this.#useIndexes = options.useIndexes ?? false;
  }

  /** The persisted index of a chunk that is final (id < lastChunkId), if the feed keeps them. */
  index(id: number): TimeIndex | undefined {
    if (!this.#useIndexes) return undefined;
    const cached = this.#indexes.get(id);
    if (cached !== undefined) return cached;
    const index = loadChunkIndex(this.#feedDir, id);
    if (index === undefined) return undefined;
    this.#indexes.set(id, index);
    if (this.#indexes.size > CACHED_INDEXES) {
      const [oldestId, oldest] = this.#indexes.entries().next().value as [number, TimeIndex];
      this.#indexes.delete(oldestId);
      oldest.dispose();
    }
    return index;
  }

  /** The mapped chunk, or undefined when its file is gone (removed by retention). */
  get(id: number): ChunkFile | undefined {
    const cached = this.#chunks.get(id);
    if (cached !== undefined) {
      this.#chunks.delete(id);
      this.#chunks.set(id, cached);
      return cached;
    }
    const chunk = ChunkFile.open(this.#feedDir, id, this.#feed, { readOnly: true });
    if (chunk === undefined) return undefined;
    this.#chunks.set(id, chunk);
    if (this.#chunks.size > CACHED_CHUNKS) {
      const [oldestId, oldest] = this.#chunks.entries().next().value as [number, ChunkFile];
      this.#chunks.delete(oldestId);
      this.#release(oldest);
    }
    return chunk;
  }

  /**
   * Marks a cached chunk as lent out: a zero-copy view of it escaped to the caller, so it must stay
   * mapped for as long as that view is reachable. It is dropped rather than closed; the ArrayBuffer's
   * finalizer unmaps it once the caller lets go.
   */
  lend(chunk: ChunkFile): void {
    this.#escaped.add(chunk);
  }

  #release(chunk: ChunkFile): void {
    if (this.#escaped.delete(chunk)) return;
    chunk.close();
  }

  close(): void {
    for (const chunk of this.#chunks.values()) this.#release(chunk);
    this.#chunks.clear();
    this.#escaped.clear();
    for (const index of this.#indexes.values()) index.dispose();
    this.#indexes.clear();
  }
}
