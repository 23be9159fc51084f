/**
 * Advanced Trade frame text → one normalised ParsedFrame.
 *
 * Never throws: anything unexpected becomes { kind: 'malformed', reason } with the sequence number
 * when the envelope still carried one (so gap tracking stays exact). A frame is validated completely
 * before it is returned, so one bad trade rejects its whole frame and no partial frame is ever stored.
 */
import { DecimalError, decimalToScaled, type Int64Value, PRICE_SCALE, SIZE_SCALE } from './decimal.js';
import type { BookEvent, BookLevel, ParsedFrame, Trade, TradesEvent } from './messages.js';
import { heartbeatTimeToMicros, isoToMicros, TimestampError } from './timestamps.js';

class FrameError extends Error {}

const PRODUCT_ID = /^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}$/;
const UINT64_MAX = 18446744073709551615n;
// Up to 15 digits always fit a double exactly: no BigInt needed for today's trade ids.
const SAFE_DIGITS = 15;
export const NOT_NUMERIC = -1;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(obj: Json, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') {
    throw new FrameError(
      `${where}: field "${key}" must be a string, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return value;
}

function array(obj: Json, key: string, where: string): unknown[] {
  const value = obj[key];
  if (!Array.isArray(value)) throw new FrameError(`${where}: field "${key}" must be an array`);
  return value;
}

function productId(obj: Json, where: string): string {
  const id = text(obj, 'product_id', where);
  if (!PRODUCT_ID.test(id))
    throw new FrameError(`${where}: field "product_id" is not a product id: ${JSON.stringify(id)}`);
  return id;
}

function eventType(obj: Json, where: string): 'snapshot' | 'update' {
  const type = obj.type;
  if (type !== 'snapshot' && type !== 'update') {
    throw new FrameError(
      `${where}: field "type" must be "snapshot" or "update", got ${JSON.stringify(type)}`,
    );
  }
  return type;
}

function scaled(obj: Json, key: string, scale: number, where: string): Int64Value {
  return decimalToScaled(text(obj, key, where), scale, `${where}.${key}`);
}

/** The trade id as an unsigned integer, or NOT_NUMERIC (-1) when it is not 1–20 digits within uint64. */
export function tradeIdOf(raw: string): Int64Value {
  const length = raw.length;
  if (length === 0 || length > 20) return NOT_NUMERIC;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NOT_NUMERIC;
    value = value * 10 + digit;
  }
  if (length <= SAFE_DIGITS) return value;
  const id = BigInt(raw);
  if (id > UINT64_MAX) return NOT_NUMERIC;
  return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id;
}

function parseTrade(raw: unknown, where: string): Trade {
  if (!isObject(raw)) throw new FrameError(`${where}: a trade must be an object`);
  const side = raw.side;
  if (side !== 'BUY' && side !== 'SELL') {
    throw new FrameError(`${where}: field "side" must be "BUY" or "SELL", got ${JSON.stringify(side)}`);
  }
  const tradeId = tradeIdOf(text(raw, 'trade_id', where));
  return {
    productId: productId(raw, where),
    tradeId: tradeId === NOT_NUMERIC ? 0 : tradeId,
    tradeIdNumeric: tradeId !== NOT_NUMERIC,
    price: scaled(raw, 'price', PRICE_SCALE, where),
    size: scaled(raw, 'size', SIZE_SCALE, where),
    side: side === 'BUY' ? 'B' : 'S',
    exchangeUs: isoToMicros(text(raw, 'time', where), `${where}.time`),
  };
}

function parseTradesEvents(events: unknown[]): TradesEvent[] {
  const parsed: TradesEvent[] = new Array(events.length);
  for (let e = 0; e < events.length; e++) {
    const raw = events[e];
    const where = `market_trades events[${e}]`;
    if (!isObject(raw)) throw new FrameError(`${where} must be an object`);
    const list = array(raw, 'trades', where);
    const trades: Trade[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) trades[i] = parseTrade(list[i], `${where}.trades[${i}]`);
    parsed[e] = { type: eventType(raw, where), trades };
  }
  return parsed;
}

function parseLevel(raw: unknown, where: string): BookLevel {
  if (!isObject(raw)) throw new FrameError(`${where}: an update must be an object`);
  const side = raw.side;
  if (side !== 'bid' && side !== 'offer') {
    throw new FrameError(`${where}: field "side" must be "bid" or "offer", got ${JSON.stringify(side)}`);
  }
  return {
    side: side === 'bid' ? 'b' : 'a',
    exchangeUs: isoToMicros(text(raw, 'event_time', where), `${where}.event_time`),
    price: scaled(raw, 'price_level', PRICE_SCALE, where),
    quantity: scaled(raw, 'new_quantity', SIZE_SCALE, where),
  };
}

function parseBookEvents(events: unknown[]): BookEvent[] {
  const parsed: BookEvent[] = new Array(events.length);
  for (let e = 0; e < events.length; e++) {
    const raw = events[e];
    const where = `l2_data events[${e}]`;
    if (!isObject(raw)) throw new FrameError(`${where} must be an object`);
    const updates = array(raw, 'updates', where);
    const levels: BookLevel[] = new Array(updates.length);
    for (let i = 0; i < updates.length; i++) levels[i] = parseLevel(updates[i], `${where}.updates[${i}]`);
    parsed[e] = { type: eventType(raw, where), productId: productId(raw, where), levels };
  }
  return parsed;
}

function parseSubscriptions(events: unknown[]): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const raw of events) {
    if (!isObject(raw) || !isObject(raw.subscriptions)) {
      throw new FrameError('subscriptions events[]: field "subscriptions" must be an object');
    }
    for (const [channel, products] of Object.entries(raw.subscriptions)) {
      if (!Array.isArray(products) || !products.every((p) => typeof p === 'string')) {
        throw new FrameError(`subscriptions: channel "${channel}" must list product ids`);
      }
      merged[channel] = products as string[];
    }
  }
  return merged;
}

function parseHeartbeat(events: unknown[]): { counter: number; serverUs: number } {
  const raw = events[0];
  if (events.length !== 1 || !isObject(raw)) throw new FrameError('heartbeats: expected exactly one event');
  // heartbeat_counter is documented as a string but some captures show a number.
  const counterRaw = raw.heartbeat_counter;
  const counter = typeof counterRaw === 'string' ? Number(counterRaw) : counterRaw;
  if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) {
    throw new FrameError(
      `heartbeats: field "heartbeat_counter" is not a counter: ${JSON.stringify(counterRaw)}`,
    );
  }
  return {
    counter,
    serverUs: heartbeatTimeToMicros(text(raw, 'current_time', 'heartbeats'), 'current_time'),
  };
}

function sequenceOf(obj: Json): number | null {
  const seq = obj.sequence_num;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
}

export function parseAdvancedTradeFrame(frame: string): ParsedFrame {
  let message: unknown;
  try {
    message = JSON.parse(frame);
  } catch (error) {
    return { kind: 'malformed', seq: null, reason: `not JSON: ${(error as Error).message}` };
  }
  if (!isObject(message)) return { kind: 'malformed', seq: null, reason: 'not a JSON object' };
  const seq = sequenceOf(message);
  if (message.type === 'error') {
    const detail = typeof message.message === 'string' ? message.message : JSON.stringify(message);
    return { kind: 'server_error', seq, message: detail };
  }
  try {
    const channel = text(message, 'channel', 'envelope');
    if (seq === null) {
      throw new FrameError(
        `envelope: field "sequence_num" must be a non-negative integer, got ${JSON.stringify(message.sequence_num)}`,
      );
    }
    const packetUs = isoToMicros(text(message, 'timestamp', 'envelope'), 'envelope.timestamp');
    const events = array(message, 'events', 'envelope');
    switch (channel) {
      case 'market_trades':
        return { kind: 'market_trades', seq, rowSeq: seq, packetUs, events: parseTradesEvents(events) };
      case 'l2_data':
        return { kind: 'l2_data', seq, rowSeq: seq, packetUs, events: parseBookEvents(events) };
      case 'heartbeats':
        return { kind: 'heartbeats', seq, packetUs, ...parseHeartbeat(events) };
      case 'subscriptions':
        return { kind: 'subscriptions', seq, packetUs, subscriptions: parseSubscriptions(events) };
      default:
        return { kind: 'unknown_channel', seq, channel };
    }
  } catch (error) {
    if (error instanceof FrameError || error instanceof DecimalError || error instanceof TimestampError) {
      return { kind: 'malformed', seq, reason: error.message };
    }
    throw error;
  }
}
