/**
 * DeepwaterSink — the IngestSink that writes to Deepwater feeds through @deepwater/sdk: per product it
 * creates the trades, L2 and events feeds (idempotently) and holds one writer on each.
 */
import { Platform, type Writer } from '@deepwater/sdk';
import type { FeedPrefix } from '../products.js';
import { type FeedOptions, productFeedSpecs } from './schemas.js';
import type { IngestSink, ProductSink } from './sink.js';

export const DEFAULT_FEED_OPTIONS: FeedOptions = { chunkSizeMb: 63, retentionHours: 72 };

export class DeepwaterSink implements IngestSink {
  readonly platform: Platform;
  readonly #ownsPlatform: boolean;
  readonly #feedOptions: FeedOptions;
  readonly #writers = new Set<Writer>();

  /** Pass a base path (the sink opens and closes its Platform) or a Platform you own. */
  readonly #prefix: FeedPrefix;

  /** `prefix`: 'CB' (Advanced Trade, default) or 'CBX' (Exchange feed). */
  constructor(base: string | Platform, feedOptions: Partial<FeedOptions> = {}, prefix: FeedPrefix = 'CB') {
    this.#prefix = prefix;
    this.#ownsPlatform = typeof base === 'string';
    this.platform = typeof base === 'string' ? new Platform(base) : base;
    this.#feedOptions = { ...DEFAULT_FEED_OPTIONS, ...feedOptions };
  }

  openProduct(productId: string): ProductSink {
    const specs = productFeedSpecs(productId, this.#feedOptions, this.#prefix);
    for (const spec of [specs.trades, specs.book, specs.events]) this.platform.createFeed(spec);
    const opened: Writer[] = [];
    try {
      for (const spec of [specs.trades, specs.book, specs.events])
        opened.push(this.platform.createWriter(spec.feedName));
    } catch (error) {
      // Another ingester holds one of the feeds: release what was taken and report it.
      for (const w of opened) w.close();
      throw error;
    }
    const [trades, book, events] = opened;
    for (const w of opened) this.#writers.add(w);
    return {
      productId,
      feeds: { trades: specs.trades.feedName, book: specs.book.feedName, events: specs.events.feedName },
      writeTrades: (rows) => {
        trades.writeBatch(rows);
      },
      writeBook: (rows) => {
        book.writeBatch(rows);
      },
      writeEvent: (row) => events.writeTuple(row),
      close: () => {
        for (const w of opened) {
          w.close();
          this.#writers.delete(w);
        }
      },
    };
  }

  flush(): void {
    for (const w of this.#writers) w.flush();
  }

  close(): void {
    for (const w of this.#writers) w.close();
    this.#writers.clear();
    if (this.#ownsPlatform) this.platform.close();
  }
}
