/** Product ids as Coinbase writes them ("BTC-USD"), and the Deepwater feed names derived from them. */

const PRODUCT_ID = /^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}$/;

/** Upper-cases and validates a product id typed by a user; throws naming the bad value. */
export function normaliseProductId(input: string): string {
  const id = input.trim().toUpperCase();
  if (!PRODUCT_ID.test(id)) {
    throw new RangeError(`"${input}" is not a Coinbase product id (expected BASE-QUOTE, e.g. BTC-USD)`);
  }
  return id;
}

/** Feed name prefixes: 'CB' for Advanced Trade, 'CBX' for the Exchange feed (so both can run at once). */
export type FeedPrefix = 'CB' | 'CBX';

export interface FeedNames {
  trades: string;
  book: string;
  events: string;
}

export const feedNames = (productId: string, prefix: FeedPrefix = 'CB'): FeedNames => ({
  trades: `${prefix}-TRADES-${productId}`,
  book: `${prefix}-L2-${productId}`,
  events: `${prefix}-EVENTS-${productId}`,
});
