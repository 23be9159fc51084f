/**
 * Coinbase Exchange feed (wss://ws-feed.exchange.coinbase.com) frame text → the same normalised
 * ParsedFrame the Advanced Trade parser produces, so one ingester stores both.
 *
 * Differences that matter: there is no envelope and no per-connection sequence (seq is null; gaps are
 * found by trade_id continuity and the heartbeat's last_trade_id); `sequence` counts every order
 * event of a product and is stored in the seq field as is; messages carry one `time`, stored as both
 * exchange and packet time. level2_batch sends {bids, asks} snapshots and [side, price, size] changes.
 */
import { DecimalError, decimalToScaled, PRICE_SCALE, SIZE_SCALE } from './decimal.js';
import type { BookLevel, ParsedFrame, SubscribeMessage, Trade } from './messages.js';
import { isoToMicros, TimestampError } from './timestamps.js';

class FrameError extends Error {}

const PRODUCT_ID = /^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}$/;

type Json = Record<string, unknown>;

function str(obj: Json, key: string): string {
  const value = obj[key];
  if (typeof value !== 'string') {
    throw new FrameError(
      `${obj.type}: field "${key}" must be a string, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return value;
}

function uint(obj: Json, key: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FrameError(
      `${obj.type}: field "${key}" must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function product(obj: Json): string {
  const id = str(obj, 'product_id');
  if (!PRODUCT_ID.test(id))
    throw new FrameError(`${obj.type}: field "product_id" is not a product id: ${JSON.stringify(id)}`);
  return id;
}

function levels(pairs: unknown, side: 'b' | 'a', where: string, exchangeUs: number): BookLevel[] {
  if (!Array.isArray(pairs)) throw new FrameError(`${where} must be an array`);
  return pairs.map((pair, i) => {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new FrameError(`${where}[${i}] must be ["price", "size"]`);
    }
    return {
      side,
      exchangeUs,
      price: decimalToScaled(pair[0], PRICE_SCALE, `${where}[${i}] price`),
      quantity: decimalToScaled(pair[1], SIZE_SCALE, `${where}[${i}] size`),
    };
  });
}

function parseMatch(m: Json): ParsedFrame {
  const side = m.side;
  if (side !== 'buy' && side !== 'sell')
    throw new FrameError(`${m.type}: field "side" must be "buy" or "sell", got ${JSON.stringify(side)}`);
  const time = isoToMicros(str(m, 'time'), `${m.type}.time`);
  const trade: Trade = {
    productId: product(m),
    tradeId: uint(m, 'trade_id'),
    tradeIdNumeric: true,
    price: decimalToScaled(str(m, 'price'), PRICE_SCALE, `${m.type}.price`),
    size: decimalToScaled(str(m, 'size'), SIZE_SCALE, `${m.type}.size`),
    side: side === 'buy' ? 'B' : 'S',
    exchangeUs: time,
  };
  // last_match is the most recent trade before subscribing: the Exchange's one-trade snapshot.
  const type = m.type === 'last_match' ? 'snapshot' : 'update';
  return {
    kind: 'market_trades',
    seq: null,
    rowSeq: uint(m, 'sequence'),
    packetUs: time,
    events: [{ type, trades: [trade] }],
  };
}

function parseL2Update(m: Json): ParsedFrame {
  const time = isoToMicros(str(m, 'time'), 'l2update.time');
  if (!Array.isArray(m.changes)) throw new FrameError('l2update: field "changes" must be an array');
  const parsed = m.changes.map((change, i): BookLevel => {
    if (
      !Array.isArray(change) ||
      (change[0] !== 'buy' && change[0] !== 'sell') ||
      typeof change[1] !== 'string' ||
      typeof change[2] !== 'string'
    ) {
      throw new FrameError(`l2update: changes[${i}] must be ["buy"|"sell", "price", "size"]`);
    }
    return {
      side: change[0] === 'buy' ? 'b' : 'a',
      exchangeUs: time,
      price: decimalToScaled(change[1], PRICE_SCALE, `changes[${i}] price`),
      quantity: decimalToScaled(change[2], SIZE_SCALE, `changes[${i}] size`),
    };
  });
  return {
    kind: 'l2_data',
    seq: null,
    rowSeq: 0,
    packetUs: time,
    events: [{ type: 'update', productId: product(m), levels: parsed }],
  };
}

function parseSnapshot(m: Json): ParsedFrame {
  const bookLevels = [...levels(m.bids, 'b', 'snapshot.bids', 0), ...levels(m.asks, 'a', 'snapshot.asks', 0)];
  const packetUs = typeof m.time === 'string' ? isoToMicros(m.time, 'snapshot.time') : 0;
  return {
    kind: 'l2_data',
    seq: null,
    rowSeq: 0,
    packetUs,
    events: [{ type: 'snapshot', productId: product(m), levels: bookLevels }],
  };
}

function parseSubscriptions(m: Json): ParsedFrame {
  const subscriptions: Record<string, string[]> = {};
  if (!Array.isArray(m.channels)) throw new FrameError('subscriptions: field "channels" must be an array');
  for (const channel of m.channels) {
    if (typeof channel === 'string') subscriptions[channel] = [];
    else if (typeof channel === 'object' && channel !== null && typeof channel.name === 'string') {
      subscriptions[channel.name] = Array.isArray(channel.product_ids) ? channel.product_ids.map(String) : [];
    }
  }
  return { kind: 'subscriptions', seq: null, packetUs: 0, subscriptions };
}

export function parseExchangeFrame(frame: string): ParsedFrame {
  let message: unknown;
  try {
    message = JSON.parse(frame);
  } catch (error) {
    return { kind: 'malformed', seq: null, reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { kind: 'malformed', seq: null, reason: 'not a JSON object' };
  }
  const m = message as Json;
  try {
    switch (m.type) {
      case 'match':
      case 'last_match':
        return parseMatch(m);
      case 'l2update':
        return parseL2Update(m);
      case 'snapshot':
        return parseSnapshot(m);
      case 'heartbeat': {
        const time = isoToMicros(str(m, 'time'), 'heartbeat.time');
        return {
          kind: 'heartbeats',
          seq: null,
          packetUs: time,
          counter: uint(m, 'sequence'),
          serverUs: time,
          lastTradeId: { productId: product(m), tradeId: uint(m, 'last_trade_id') },
        };
      }
      case 'subscriptions':
        return parseSubscriptions(m);
      case 'error': {
        const detail = [m.message, m.reason].filter((x) => typeof x === 'string').join(': ');
        return { kind: 'server_error', seq: null, message: detail || JSON.stringify(m) };
      }
      default:
        return { kind: 'unknown_channel', seq: null, channel: String(m.type) };
    }
  } catch (error) {
    if (error instanceof FrameError || error instanceof DecimalError || error instanceof TimestampError) {
      return { kind: 'malformed', seq: null, reason: error.message };
    }
    throw error;
  }
}

/** Exchange channels for the ingester's data channels; heartbeat is always added. */
const EXCHANGE_CHANNEL: Record<string, string> = {
  market_trades: 'matches',
  level2: 'level2_batch',
  heartbeats: 'heartbeat',
};

/** One subscribe message carries every channel on the Exchange feed. */
export function exchangeSubscriptionMessages(
  type: 'subscribe' | 'unsubscribe',
  products: readonly string[],
  channels: readonly SubscribeMessage['channel'][],
): Array<{ type: string; product_ids: string[]; channels: string[] }> {
  if (products.length === 0) return [];
  return [{ type, product_ids: [...products], channels: channels.map((c) => EXCHANGE_CHANNEL[c]) }];
}
