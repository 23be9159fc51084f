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

export const feedNames = (productId: string) => ({
  trades: `CB-TRADES-${productId}`,
  book: `CB-L2-${productId}`,
  events: `CB-EVENTS-${productId}`,
});
