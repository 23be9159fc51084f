/**
 * Where the ingester's records go. The ingester only talks to this interface, so its protocol logic
 * is tested without storage, and DeepwaterSink is the one place that knows the sdk.
 */
import type { FeedNames } from '../products.js';
import type { BookTuple, EventTuple, TradeTuple } from './schemas.js';

/**
 * The writers of one product's three feeds. Each write call publishes its rows together or throws.
 * Rows belong to the caller and may be reused after the call returns: a sink copies what it keeps.
 */
export interface ProductSink {
  readonly productId: string;
  readonly feeds: FeedNames;
  writeTrades(rows: TradeTuple[]): void;
  writeBook(rows: BookTuple[]): void;
  writeEvent(row: EventTuple): void;
  /** Closes the product's writers (after an unsubscribe); further writes throw. */
  close(): void;
}

export interface IngestSink {
  /** Creates the product's feeds if missing and opens their writers. */
  openProduct(productId: string): ProductSink;
  flush(): void;
  close(): void;
}
