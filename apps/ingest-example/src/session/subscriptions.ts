/**
 * The subscribe/unsubscribe messages for a set of products: one channel per message, as Advanced
 * Trade requires, plus heartbeats so quiet channels are not closed and staleness can be detected.
 */
import type { SubscribeChannel, SubscribeMessage } from '../coinbase/messages.js';

export function subscriptionMessages(
  type: 'subscribe' | 'unsubscribe',
  products: readonly string[],
  channels: readonly SubscribeChannel[],
): SubscribeMessage[] {
  if (products.length === 0) return [];
  return channels.map((channel) => ({ type, product_ids: [...products], channel }));
}
