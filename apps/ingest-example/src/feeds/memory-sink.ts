/**
 * MemorySink — keeps records in arrays; for tests of the ingest protocol and for measuring the
 * ingest path without storage. Enforces what Deepwater enforces: non-decreasing time column, no
 * writes after close.
 */
import { type FeedPrefix, feedNames } from '../products.js';
import type { BookTuple, EventTuple, TradeTuple } from './schemas.js';
import type { IngestSink, ProductSink } from './sink.js';

export class MemorySink implements IngestSink {
  readonly feeds = new Map<string, unknown[][]>();
  readonly openProducts = new Set<string>();
  /** false: count rows but keep none (for throughput measurement). */
  readonly keep: boolean;
  rowCount = 0;

  readonly prefix: FeedPrefix;

  constructor(options: { keep?: boolean; prefix?: FeedPrefix } = {}) {
    this.keep = options.keep ?? true;
    this.prefix = options.prefix ?? 'CB';
  }

  rows(feed: string): unknown[][] {
    return this.feeds.get(feed) ?? [];
  }

  openProduct(productId: string): ProductSink {
    const names = feedNames(productId, this.prefix);
    let closed = false;
    this.openProducts.add(productId);
    const append = (feed: string, rows: unknown[][]) => {
      if (closed) throw new Error(`feed "${feed}": writer is closed`);
      const stored = this.feeds.get(feed) ?? [];
      let last = stored.length > 0 ? (stored[stored.length - 1][0] as number) : 0;
      for (const row of rows) {
        if ((row[0] as number) < last) throw new RangeError(`feed "${feed}": timestamp went backwards`);
        last = row[0] as number;
      }
      this.rowCount += rows.length;
      if (this.keep) {
        for (const row of rows) stored.push(row.slice()); // the caller reuses its rows
        this.feeds.set(feed, stored);
      }
    };
    return {
      productId,
      feeds: names,
      writeTrades: (rows: TradeTuple[]) => append(names.trades, rows),
      writeBook: (rows: BookTuple[]) => append(names.book, rows),
      writeEvent: (row: EventTuple) => append(names.events, [row]),
      close: () => {
        closed = true;
        this.openProducts.delete(productId);
      },
    };
  }

  flush(): void {}

  close(): void {}
}
