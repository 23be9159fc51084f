/**
 * The three feeds written per product, with their record layouts.
 *
 *   CB-TRADES-<PRODUCT>  one record per trade                       64 bytes
 *   CB-L2-<PRODUCT>      one record per changed order-book level    56 bytes
 *   CB-EVENTS-<PRODUCT>  gaps, (re)connects, (re)snapshots, staleness, subscription changes   32 bytes
 *
 * Every feed's time column is recv_us, the local receive time: Coinbase lists trades newest first and
 * exchange times can step back across messages, while Deepwater needs a non-decreasing time column.
 * The exchange's time and the websocket packet's time are kept beside it in their own fields.
 * Prices and sizes are exact scaled integers (see decimal.ts); the scale is in each field's desc.
 */
import { PRICE_SCALE, SIZE_SCALE } from '../coinbase/decimal.js';
import { type FeedPrefix, feedNames } from '../products.js';

export interface FieldSpec {
  name: string;
  type: string;
  desc?: string;
  /** Names of the field's values, stored with the feed (the sdk's feed-spec `labels`). */
  labels?: Readonly<Record<number, string>>;
}

export interface FeedSpec {
  feedName: string;
  fields: FieldSpec[];
  tsCol: string;
  persist: boolean;
  chunkSizeMb: number;
  retentionHours: number;
}

/** Bits of the `flags` field of trade and L2 records. */
export const FLAG_SNAPSHOT = 1;
/** A snapshot taken on a new connection after a drop: rebuild the book from here. */
export const FLAG_AFTER_RECONNECT = 2;
/** The last level of its Coinbase event: the book is consistent once this record is applied. */
export const FLAG_LAST_IN_EVENT = 4;
/** Coinbase's trade_id was not an integer; trade_id is 0 and trade-id continuity is not checked. */
export const FLAG_TRADE_ID_NOT_NUMERIC = 8;

/** Values of the `kind` field of event records, with what from_value / to_value hold. */
export const EventKind = {
  /** from..to: the sequence_num values that never arrived. */
  SEQUENCE_GAP: 1,
  /** from..to: the trade ids that never arrived. */
  TRADE_ID_GAP: 2,
  /** The connection dropped. from: websocket close code; to: frames received on it. */
  DISCONNECT: 3,
  /** A new connection after a drop is open and resubscribed. from: attempt; to: back-off waited (ms). */
  RECONNECT: 4,
  /** The first L2 snapshot for the product. from: levels in it. */
  SNAPSHOT: 5,
  /** An L2 snapshot after a reconnect: the book restarts here. from: levels in it. */
  RESNAPSHOT: 6,
  /** The socket went silent and was dropped. from: ms since the last frame or heartbeat; to: the timeout (ms). */
  STALE: 7,
  SUBSCRIBED: 8,
  UNSUBSCRIBED: 9,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const EVENT_KIND_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EventKind).map(([name, value]) => [value, name]),
);

const TIMES: FieldSpec[] = [
  { name: 'recv_us', type: 'uint64', desc: 'local receive time, µs since the epoch (the time column)' },
  { name: 'packet_us', type: 'uint64', desc: 'websocket message timestamp from Coinbase, µs' },
];
const SEQ: FieldSpec = { name: 'seq', type: 'uint64', desc: 'sequence_num of the websocket message' };
const FLAGS: FieldSpec = {
  name: 'flags',
  type: 'uint8',
  desc: '1 snapshot, 2 after reconnect, 4 last in event, 8 non-numeric trade id',
};

export const TRADE_FIELDS: FieldSpec[] = [
  ...TIMES,
  { name: 'exchange_us', type: 'uint64', desc: 'trade time at the exchange, µs' },
  { name: 'trade_id', type: 'uint64', desc: 'Coinbase trade_id' },
  { name: 'price', type: 'int64', desc: `price × 10^${PRICE_SCALE} (exact)` },
  { name: 'size', type: 'int64', desc: `size × 10^${SIZE_SCALE} (exact)` },
  SEQ,
  { name: 'side', type: 'char', desc: "maker side: 'B' buy, 'S' sell" },
  FLAGS,
  { name: '_pad', type: '_6' },
];

export const BOOK_FIELDS: FieldSpec[] = [
  ...TIMES,
  { name: 'exchange_us', type: 'uint64', desc: 'level event time at the exchange, µs (0 in snapshots)' },
  { name: 'price', type: 'int64', desc: `price level × 10^${PRICE_SCALE} (exact)` },
  { name: 'qty', type: 'int64', desc: `new absolute quantity × 10^${SIZE_SCALE}; 0 removes the level` },
  SEQ,
  { name: 'side', type: 'char', desc: "'b' bid, 'a' ask (Coinbase 'offer')" },
  FLAGS,
  { name: '_pad', type: '_6' },
];

export const EVENT_FIELDS: FieldSpec[] = [
  { name: 'recv_us', type: 'uint64', desc: 'local time of the event, µs since the epoch (the time column)' },
  {
    name: 'from_value',
    type: 'int64',
    desc: 'per kind: first missing seq/trade id, close code, attempt, levels, silent ms',
  },
  {
    name: 'to_value',
    type: 'int64',
    desc: 'per kind: last missing seq/trade id, frames, back-off ms, timeout ms',
  },
  { name: 'connection', type: 'uint32', desc: 'connection number within this ingest run (1 = first)' },
  {
    name: 'kind',
    type: 'uint8',
    desc: 'what happened (labels: EventKind); from_value/to_value depend on it',
    // Named in feed.json, so `deepwater dump`/`tail` and the dashboard print SEQUENCE_GAP, not 1.
    labels: EVENT_KIND_NAMES,
  },
  { name: '_pad', type: '_3' },
];

/** Tuple layouts in field order, padding omitted, as the sdk's writeTuple/writeBatch take them. */
export type Int64 = number | bigint;
export type TradeTuple = [number, number, number, Int64, Int64, Int64, number, string, number];
export type BookTuple = [number, number, number, Int64, Int64, number, string, number];
export type EventTuple = [number, Int64, Int64, number, number];

export interface FeedOptions {
  chunkSizeMb: number;
  retentionHours: number;
}

export function productFeedSpecs(productId: string, options: FeedOptions, prefix: FeedPrefix = 'CB') {
  const names = feedNames(productId, prefix);
  const spec = (feedName: string, fields: FieldSpec[]): FeedSpec => ({
    feedName,
    fields,
    tsCol: 'recv_us',
    persist: true,
    chunkSizeMb: options.chunkSizeMb,
    retentionHours: options.retentionHours,
  });
  return {
    trades: spec(names.trades, TRADE_FIELDS),
    book: spec(names.book, BOOK_FIELDS),
    events: spec(names.events, EVENT_FIELDS),
  };
}
