import { ChunkFile } from '../chunk/chunk-file.js';

/** Mappings kept for seeks and range reads; older ones are unmapped so a big feed is never mapped whole. */
const CACHED_CHUNKS = 4;

/** ChunkCache — a reader's few most recently used read-only chunk mappings (LRU). */
export class ChunkCache {
  readonly #feedDir: string;
  readonly #feed: string;
  readonly #chunks = new Map<number, ChunkFile>();

  constructor(feedDir: string, feed: string) {
    this.#feedDir = feedDir;
    this.#feed = feed;
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
      oldest.close();
    }
    return chunk;
  }

  close(): void {
    for (const chunk of this.#chunks.values()) chunk.close();
    this.#chunks.clear();
  }
}
