/**
 * Advanced Trade websocket messages: the wire shapes (as Coinbase documents them) and the normalised
 * frames the parser turns them into. Prices and sizes in normalised frames are scaled integers
 * (see PRICE_SCALE / SIZE_SCALE), times are integer microseconds since the epoch.
 */
import type { Int64Value } from './decimal.js';

/** Channels the ingester subscribes to; level2 data arrives on channel "l2_data". */
export type SubscribeChannel = 'market_trades' | 'level2' | 'heartbeats';
export const DATA_CHANNELS: readonly SubscribeChannel[] = ['market_trades', 'level2'];

export interface SubscribeMessage {
  type: 'subscribe' | 'unsubscribe';
  channel: SubscribeChannel;
  product_ids?: string[];
}

/** Every channel message is wrapped in this envelope; sequence_num counts per connection across channels. */
export interface WireEnvelope {
  channel: string;
  client_id?: string;
  timestamp: string;
  sequence_num: number;
  events: unknown[];
}

export interface WireTrade {
  trade_id: string;
  product_id: string;
  price: string;
  size: string;
  side: 'BUY' | 'SELL';
  time: string;
}

export interface WireBookUpdate {
  side: 'bid' | 'offer';
  event_time: string;
  price_level: string;
  new_quantity: string;
}

/** 'B' / 'S': the maker side of a trade, as Coinbase reports it. */
export type TradeSide = 'B' | 'S';
/** 'b' bid / 'a' ask (Coinbase's "offer"). */
export type BookSide = 'b' | 'a';

export interface Trade {
  productId: string;
  /** Coinbase's trade_id as an integer; 0 when the id was not numeric (then tradeIdNumeric is false). */
  tradeId: Int64Value;
  tradeIdNumeric: boolean;
  price: Int64Value;
  size: Int64Value;
  side: TradeSide;
  exchangeUs: number;
}

export interface TradesEvent {
  type: 'snapshot' | 'update';
  trades: Trade[];
}

export interface BookLevel {
  side: BookSide;
  /** Snapshot levels carry 1970-01-01T00:00:00Z, i.e. 0. */
  exchangeUs: number;
  price: Int64Value;
  /** The level's new absolute quantity; 0 removes the level. */
  quantity: Int64Value;
}

export interface BookEvent {
  type: 'snapshot' | 'update';
  productId: string;
  levels: BookLevel[];
}

interface Sequenced {
  /** The envelope's sequence_num, or null when the frame was too broken to carry one. */
  seq: number | null;
}

/**
 * `seq` is the per-connection sequence_num gaps are checked on (null on the Exchange feed, which has
 * none); `rowSeq` is what data records store in their seq field (the same number on Advanced Trade,
 * the product's order-event sequence on the Exchange feed).
 */
export type ParsedFrame =
  | { kind: 'market_trades'; seq: number | null; rowSeq: number; packetUs: number; events: TradesEvent[] }
  | { kind: 'l2_data'; seq: number | null; rowSeq: number; packetUs: number; events: BookEvent[] }
  | {
      kind: 'heartbeats';
      seq: number | null;
      packetUs: number;
      counter: number;
      serverUs: number;
      /** Exchange heartbeats name the product's last trade: a higher id than stored means dropped matches. */
      lastTradeId?: { productId: string; tradeId: number };
    }
  | { kind: 'subscriptions'; seq: number | null; packetUs: number; subscriptions: Record<string, string[]> }
  | ({ kind: 'server_error'; message: string } & Sequenced)
  | ({ kind: 'unknown_channel'; channel: string } & Sequenced)
  | ({ kind: 'malformed'; reason: string } & Sequenced);
