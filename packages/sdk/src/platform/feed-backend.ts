import type { Reader } from '../reader/reader.js';
import type { ResolvedReaderOptions } from '../reader/reader-options.js';
import type { Writer, WriterOptions } from '../writer/writer.js';
import type { FeedContext } from './feed-context.js';
import type { FeedStatus } from './feed-status.js';

/**
 * The storage of one feed: chunk files on disk (persist: true, src/disk) or a shared-memory ring
 * (persist: false, src/ring). The Platform picks one per feed when it loads the feed's config and
 * talks to it only through this interface; argument checks and option defaults are done before
 * (once, above both), so a backend receives validated input.
 */
export interface FeedBackend {
  /** The feed's single writer: takes the writer lock (ERR_WRITER_LOCKED if held) and opens the storage. */
  openWriter(ctx: FeedContext, options: WriterOptions): Writer;
  /** A new reader with its own cursors. */
  openReader(ctx: FeedContext, options: ResolvedReaderOptions): Reader;
  /** What the feed holds, computed from its storage without asking the writer. */
  status(ctx: FeedContext): FeedStatus;
  /**
   * Platform.deleteFeed, with the writer lock and the registry lock held: removes the storage that
   * lives outside the feed directory (the ring's shared memory) and forgets handles kept on the
   * feed. The feed directory itself is discarded by the Platform afterwards.
   */
  deleteStorage(ctx: FeedContext): void;
  /** Platform.close(): releases what the backend keeps between calls. */
  close(): void;
}
