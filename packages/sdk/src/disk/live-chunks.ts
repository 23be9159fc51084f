import type { FeedContext } from '../platform/feed-context.js';
import { ChunkFile } from './chunk-file.js';

interface LiveChunk {
  chunk: ChunkFile;
  inode: number;
}

/**
 * Read-only mappings of each feed's live chunk, kept between feedStatus() calls: mapping and
 * unmapping a 64 MiB chunk on every call dominated a dashboard polling many feeds. A mapping is
 * reused only for the same chunk id AND file inode (a deleted and re-created feed gets new files;
 * the kept mapping pins the old inode, so its number cannot be reused meanwhile).
 */
export class LiveChunks {
  readonly #byFeed = new Map<string, LiveChunk>();

  /** The live chunk `id` of the feed whose file has `inode`; undefined if the file is gone. */
  get(ctx: FeedContext, id: number, inode: number): ChunkFile | undefined {
    const cached = this.#byFeed.get(ctx.feedName);
    if (cached !== undefined && cached.chunk.id === id && cached.inode === inode) return cached.chunk;
    this.release(ctx.feedName);
    const chunk = ChunkFile.open(ctx.feedDir, id, ctx.feedName, { readOnly: true });
    if (chunk !== undefined) this.#byFeed.set(ctx.feedName, { chunk, inode });
    return chunk;
  }

  release(feed: string): void {
    this.#byFeed.get(feed)?.chunk.close();
    this.#byFeed.delete(feed);
  }

  close(): void {
    for (const feed of [...this.#byFeed.keys()]) this.release(feed);
  }
}
