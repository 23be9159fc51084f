/**
 * The fast path for the two hot Advanced Trade channels (l2_data, market_trades): reads the frame's
 * bytes once, straight into a ParsedFrame, without JSON.parse, without decoding the frame to a string
 * and without a string per price, size or time. JSON.parse was a third of the ingest time.
 *
 * It returns null for anything but a well-formed, all-ASCII, escape-free frame whose every field is
 * present once and valid (heartbeats, acknowledgements, errors and every malformed frame included);
 * the caller then runs parseAdvancedTradeFrame on the decoded text, which decides and names the
 * problem. So it never accepts a frame the full parser rejects, and decodes what it accepts to the
 * same values (frame-scanner.test.ts compares both on every fixture frame and on mutated frames).
 */
import { decimalToScaled, type Int64Value, PRICE_SCALE, SIZE_SCALE } from './decimal.js';
import type { BookEvent, BookLevel, ParsedFrame, Trade, TradesEvent } from './messages.js';
import { NOT_NUMERIC, tradeIdOf } from './parse.js';
import { isoToMicros } from './timestamps.js';

/** Thrown (never an Error: no stack is captured) to leave the fast path for the full parser. */
const BAIL = { bail: true };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CHAR_A = 0x41;
const CHAR_Z = 0x5a;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const MAX_DEPTH = 32;
// 15 decimal digits always fit a double exactly; longer values go through decimalToScaled's BigInt path.
const SAFE_DIGITS = 15;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** An object's known member names, in Coinbase's order, as names and as `"name":` byte runs. */
function members(...names: string[]): { names: Uint8Array[]; quoted: Uint8Array[] } {
  return { names: names.map(ascii), quoted: names.map((n) => ascii(`"${n}":`)) };
}
const ENVELOPE = members('channel', 'client_id', 'timestamp', 'sequence_num', 'events', 'type');
const BOOK_EVENT = members('type', 'product_id', 'updates');
const LEVEL = members('side', 'event_time', 'price_level', 'new_quantity');
const TRADES_EVENT = members('type', 'trades');
const TRADE = members('trade_id', 'product_id', 'price', 'size', 'side', 'time');
const V_L2_DATA = ascii('l2_data');
const V_MARKET_TRADES = ascii('market_trades');
const V_SNAPSHOT = ascii('snapshot');
const V_UPDATE = ascii('update');
const V_BID = ascii('bid');
const V_OFFER = ascii('offer');
const V_BUY = ascii('BUY');
const V_SELL = ascii('SELL');

// Scanner state, module-wide: one frame is scanned at a time, and no state survives a call.
// Hot loops copy b and p into locals: module bindings are slower to read and write byte by byte.
const EMPTY: Uint8Array = Buffer.alloc(0);
let b: Uint8Array = EMPTY;
let p = 0;
let end = 0;
/** [strStart, strEnd) of the last string read by readString(). */
let strStart = 0;
let strEnd = 0;

// Frames carry many times within one second: the last second's 19 bytes and its epoch milliseconds.
const cachedSecond = new Uint8Array(19);
let cachedSecondValid = false;
let cachedSecondMillis = 0;

/** Product ids seen so far, so a frame's product_id costs no string allocation. */
const productIds: string[] = [];
const MAX_CACHED_PRODUCTS = 256;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(): void {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  p = i;
}

function expect(c: number): void {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== c) throw BAIL;
  p = i + 1;
}

/** After a member or element: true for ',', false for `close`. */
function more(close: number): boolean {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  const c = buf[i];
  p = i + 1;
  if (c === COMMA) return true;
  if (c === close) return false;
  throw BAIL;
}

/** Opens an object or array; false when it is empty (its closing bracket already consumed). */
function open(openChar: number, close: number): boolean {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== openChar) throw BAIL;
  i++;
  while (isSpace(buf[i])) i++;
  if (buf[i] === close) {
    p = i + 1;
    return false;
  }
  p = i;
  return true;
}

/** A string without escapes or non-ASCII bytes, bounds in strStart/strEnd. */
function readString(): void {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== QUOTE) throw BAIL;
  const start = ++i;
  const stop = end;
  for (; i < stop; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      strStart = start;
      strEnd = i;
      p = i + 1;
      return;
    }
    if (c < 0x20 || c >= 0x80 || c === BACKSLASH) throw BAIL;
  }
  throw BAIL;
}

/** Reads a member name and its colon; the name's bounds are in strStart/strEnd. */
function readKey(): void {
  readString();
  expect(COLON);
}

/**
 * Reads the next member name and its colon: its index in `table` (-1 for a member not listed).
 * Tries the `expected` one first with a single byte comparison: Coinbase sends a fixed order.
 */
function nextMember(table: { names: Uint8Array[]; quoted: Uint8Array[] }, expected: number): number {
  const quoted = table.quoted;
  if (expected < quoted.length) {
    const run = quoted[expected];
    const buf = b;
    let i = p;
    while (isSpace(buf[i])) i++;
    const n = run.length;
    let k = 0;
    while (k < n && buf[i + k] === run[k]) k++;
    if (k === n) {
      p = i + n;
      return expected;
    }
  }
  readKey();
  const names = table.names;
  for (let j = 0; j < names.length; j++) if (is(names[j])) return j;
  return -1;
}

/** Marks member `index` as read; a repeated member is left to JSON.parse (which keeps the last). */
function mark(seen: number, index: number): number {
  if (index < 0) return seen;
  const bit = 1 << index;
  if (seen & bit) throw BAIL;
  return seen | bit;
}

function is(word: Uint8Array): boolean {
  const length = word.length;
  const start = strStart;
  if (strEnd - start !== length) return false;
  const buf = b;
  for (let i = 0; i < length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

function latin1(start: number, stop: number): string {
  let text = '';
  for (let i = start; i < stop; i++) text += String.fromCharCode(b[i]);
  return text;
}

/** Skips any JSON value, checking its grammar (a value the full parser rejects must not pass here). */
function skipValue(depth: number): void {
  if (depth > MAX_DEPTH) throw BAIL;
  skipSpace();
  const c = b[p];
  if (c === QUOTE) readString();
  else if (c === LBRACE) {
    if (open(LBRACE, RBRACE)) {
      do {
        readKey();
        skipValue(depth + 1);
      } while (more(RBRACE));
    }
  } else if (c === LBRACKET) {
    if (open(LBRACKET, RBRACKET)) {
      do skipValue(depth + 1);
      while (more(RBRACKET));
    }
  } else if (c === 0x74) literal('true');
  else if (c === 0x66) literal('false');
  else if (c === 0x6e) literal('null');
  else skipNumber();
}

function literal(word: string): void {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) throw BAIL;
  p += word.length;
}

function digits(): number {
  const buf = b;
  const start = p;
  let i = start;
  for (let c = buf[i]; c >= CHAR_0 && c <= CHAR_9; c = buf[++i]);
  p = i;
  return i - start;
}

/** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function skipNumber(): void {
  if (b[p] === MINUS) p++;
  const first = b[p];
  const count = digits();
  if (count === 0 || (first === CHAR_0 && count > 1)) throw BAIL;
  if (b[p] === DOT) {
    p++;
    if (digits() === 0) throw BAIL;
  }
  if (b[p] === LOWER_E || b[p] === UPPER_E) {
    p++;
    if (b[p] === PLUS || b[p] === MINUS) p++;
    if (digits() === 0) throw BAIL;
  }
}

/** sequence_num: a plain non-negative integer of up to 15 digits (anything else: the full parser). */
function readSequence(): number {
  skipSpace();
  const buf = b;
  const start = p;
  let i = start;
  let value = 0;
  for (let c = buf[i]; c >= CHAR_0 && c <= CHAR_9; c = buf[++i]) value = value * 10 + (c - CHAR_0);
  const count = i - start;
  if (count === 0 || count > SAFE_DIGITS || (buf[start] === CHAR_0 && count > 1)) throw BAIL;
  const next = buf[i];
  if (next === DOT || next === LOWER_E || next === UPPER_E) throw BAIL;
  p = i;
  return value;
}

/**
 * A decimal string × 10^scale, as decimalToScaled computes it; bails where it would throw. One pass
 * for the usual value (digits within 15 and decimals within the scale), readDecimalFrom otherwise.
 */
function readDecimal(scale: number): Int64Value {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== QUOTE) throw BAIL;
  const start = ++i;
  let value = 0;
  let dot = -1;
  let leadingZeros = 0;
  let leading = true;
  for (let c = buf[i]; c !== QUOTE; c = buf[++i]) {
    if (c >= CHAR_0 && c <= CHAR_9) {
      value = value * 10 + (c - CHAR_0);
      if (leading && c === CHAR_0 && dot === -1) leadingZeros++;
      else leading = false;
    } else if (c === DOT && dot === -1) dot = i;
    else return readDecimalFrom(start, scale); // not a plain decimal (or the frame ends): decide there
  }
  const stop = i;
  p = i + 1;
  const intDigits = (dot === -1 ? stop : dot) - start;
  const fracDigits = dot === -1 ? 0 : stop - dot - 1;
  const significant = Math.max(1, intDigits - leadingZeros);
  if (intDigits === 0 || dot === stop - 1 || fracDigits > scale || significant + scale > SAFE_DIGITS) {
    return readDecimalFrom(start, scale);
  }
  for (let f = fracDigits; f < scale; f++) value *= 10;
  return value;
}

/** readDecimal's general case, from the string's first byte (p is moved past the string). */
function readDecimalFrom(contentStart: number, scale: number): Int64Value {
  p = contentStart - 1;
  readString();
  const buf = b;
  const start = strStart;
  const stop = strEnd;
  let dot = -1;
  for (let i = start; i < stop; i++) {
    const c = buf[i];
    if (c === DOT && dot === -1) dot = i;
    else if (c < CHAR_0 || c > CHAR_9) throw BAIL;
  }
  if (stop === start || dot === start || dot === stop - 1) throw BAIL;
  const intEnd = dot === -1 ? stop : dot;
  let fracDigits = dot === -1 ? 0 : stop - dot - 1;
  while (fracDigits > scale && buf[dot + fracDigits] === CHAR_0) fracDigits--;
  if (fracDigits > scale) throw BAIL;
  let firstSignificant = start;
  while (firstSignificant < intEnd - 1 && buf[firstSignificant] === CHAR_0) firstSignificant++;
  if (intEnd - firstSignificant + scale > SAFE_DIGITS) {
    // Beyond 15 digits: the one BigInt implementation decides (and range-checks) the value.
    try {
      return decimalToScaled(latin1(start, stop), scale, '');
    } catch {
      throw BAIL;
    }
  }
  let value = 0;
  for (let i = firstSignificant; i < intEnd; i++) value = value * 10 + (buf[i] - CHAR_0);
  for (let i = 1; i <= fracDigits; i++) value = value * 10 + (buf[dot + i] - CHAR_0);
  for (let i = fracDigits; i < scale; i++) value *= 10;
  return value;
}

/**
 * "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)" → µs, as isoToMicros computes it. One pass when the
 * second is the cached one and the time ends in ".digits" and "Z"; readIsoFrom otherwise.
 */
function readIsoMicros(): number {
  const buf = b;
  let i = p;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== QUOTE) throw BAIL;
  const start = ++i;
  if (!cachedSecondValid) return readIsoFrom(start);
  for (let k = 0; k < 19; k++) if (buf[start + k] !== cachedSecond[k]) return readIsoFrom(start);
  i = start + 19;
  if (buf[i] !== DOT) return readIsoFrom(start);
  const fractionStart = ++i;
  let micros = 0;
  for (let c = buf[i]; c >= CHAR_0 && c <= CHAR_9; c = buf[++i]) {
    if (i - fractionStart < 6) micros = micros * 10 + (c - CHAR_0);
  }
  const kept = i - fractionStart;
  if (kept === 0 || buf[i] !== CHAR_Z || buf[i + 1] !== QUOTE) return readIsoFrom(start);
  for (let k = kept; k < 6; k++) micros *= 10;
  p = i + 2;
  return cachedSecondMillis * 1000 + micros;
}

/** readIsoMicros's general case, from the string's first byte (p is moved past the string). */
function readIsoFrom(contentStart: number): number {
  p = contentStart - 1;
  readString();
  const buf = b;
  const start = strStart;
  const stop = strEnd;
  if (stop - start < 20) throw BAIL;
  let same = cachedSecondValid;
  for (let i = 0; same && i < 19; i++) same = buf[start + i] === cachedSecond[i];
  if (!same) {
    // Once per second of data: isoToMicros validates the date and time fields.
    try {
      cachedSecondMillis = isoToMicros(`${latin1(start, start + 19)}Z`, '') / 1000;
    } catch {
      throw BAIL;
    }
    for (let i = 0; i < 19; i++) cachedSecond[i] = buf[start + i];
    cachedSecondValid = true;
  }
  let i = start + 19;
  let micros = 0;
  if (buf[i] === DOT) {
    i++;
    let kept = 0;
    const fractionStart = i;
    while (i < stop && buf[i] >= CHAR_0 && buf[i] <= CHAR_9) {
      if (kept < 6) {
        micros = micros * 10 + (buf[i] - CHAR_0);
        kept++;
      }
      i++;
    }
    if (i === fractionStart) throw BAIL;
    for (; kept < 6; kept++) micros *= 10;
  }
  const zulu = i === stop - 1 && buf[i] === CHAR_Z;
  const utc =
    i === stop - 6 &&
    buf[i] === PLUS &&
    buf[i + 1] === CHAR_0 &&
    buf[i + 2] === CHAR_0 &&
    buf[i + 3] === COLON &&
    buf[i + 4] === CHAR_0 &&
    buf[i + 5] === CHAR_0;
  if (!zulu && !utc) throw BAIL;
  return cachedSecondMillis * 1000 + micros;
}

function isIdChar(c: number): boolean {
  return (c >= CHAR_A && c <= CHAR_Z) || (c >= CHAR_0 && c <= CHAR_9);
}

/** A product id matching /^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}$/, as an interned string. */
function readProductId(): string {
  readString();
  const buf = b;
  const start = strStart;
  const stop = strEnd;
  let dash = start;
  while (dash < stop && isIdChar(buf[dash])) dash++;
  if (dash === start || dash - start > 16 || buf[dash] !== MINUS) throw BAIL;
  let i = dash + 1;
  while (i < stop && isIdChar(buf[i])) i++;
  if (i !== stop || stop - dash - 1 < 1 || stop - dash - 1 > 16) throw BAIL;
  const length = stop - start;
  for (let k = 0; k < productIds.length; k++) {
    const id = productIds[k];
    if (id.length !== length) continue;
    let j = 0;
    while (j < length && id.charCodeAt(j) === buf[start + j]) j++;
    if (j === length) return id;
  }
  const id = latin1(start, stop);
  if (productIds.length < MAX_CACHED_PRODUCTS) productIds.push(id);
  return id;
}

function readEventType(): 'snapshot' | 'update' {
  readString();
  if (is(V_UPDATE)) return 'update';
  if (is(V_SNAPSHOT)) return 'snapshot';
  throw BAIL;
}

function readLevel(): BookLevel {
  let seen = 0;
  let side: 'b' | 'a' = 'b';
  let exchangeUs = 0;
  let price: Int64Value = 0;
  let quantity: Int64Value = 0;
  if (open(LBRACE, RBRACE)) {
    let k = 0;
    do {
      const index = nextMember(LEVEL, k++);
      switch (index) {
        case 0:
          readString();
          if (is(V_BID)) side = 'b';
          else if (is(V_OFFER)) side = 'a';
          else throw BAIL;
          break;
        case 1:
          exchangeUs = readIsoMicros();
          break;
        case 2:
          price = readDecimal(PRICE_SCALE);
          break;
        case 3:
          quantity = readDecimal(SIZE_SCALE);
          break;
        default:
          skipValue(1);
      }
      seen = mark(seen, index);
    } while (more(RBRACE));
  }
  if (seen !== 15) throw BAIL;
  return { side, exchangeUs, price, quantity };
}

function readBookEvent(): BookEvent {
  let seen = 0;
  let type: 'snapshot' | 'update' = 'update';
  let productId = '';
  let levels: BookLevel[] = [];
  if (open(LBRACE, RBRACE)) {
    let k = 0;
    do {
      const index = nextMember(BOOK_EVENT, k++);
      switch (index) {
        case 0:
          type = readEventType();
          break;
        case 1:
          productId = readProductId();
          break;
        case 2:
          levels = [];
          if (open(LBRACKET, RBRACKET)) {
            do levels.push(readLevel());
            while (more(RBRACKET));
          }
          break;
        default:
          skipValue(1);
      }
      seen = mark(seen, index);
    } while (more(RBRACE));
  }
  if (seen !== 7) throw BAIL;
  return { type, productId, levels };
}

function readTradeId(): Int64Value {
  readString();
  const length = strEnd - strStart;
  if (length === 0 || length > SAFE_DIGITS) return tradeIdOf(latin1(strStart, strEnd));
  let value = 0;
  for (let i = strStart; i < strEnd; i++) {
    const digit = b[i] - CHAR_0;
    if (digit < 0 || digit > 9) return NOT_NUMERIC;
    value = value * 10 + digit;
  }
  return value;
}

function readTrade(): Trade {
  let seen = 0;
  let productId = '';
  let tradeId: Int64Value = 0;
  let price: Int64Value = 0;
  let size: Int64Value = 0;
  let side: 'B' | 'S' = 'B';
  let exchangeUs = 0;
  if (open(LBRACE, RBRACE)) {
    let k = 0;
    do {
      const index = nextMember(TRADE, k++);
      switch (index) {
        case 0:
          tradeId = readTradeId();
          break;
        case 1:
          productId = readProductId();
          break;
        case 2:
          price = readDecimal(PRICE_SCALE);
          break;
        case 3:
          size = readDecimal(SIZE_SCALE);
          break;
        case 4:
          readString();
          if (is(V_BUY)) side = 'B';
          else if (is(V_SELL)) side = 'S';
          else throw BAIL;
          break;
        case 5:
          exchangeUs = readIsoMicros();
          break;
        default:
          skipValue(1);
      }
      seen = mark(seen, index);
    } while (more(RBRACE));
  }
  if (seen !== 63) throw BAIL;
  const numeric = tradeId !== NOT_NUMERIC;
  return {
    productId,
    tradeId: numeric ? tradeId : 0,
    tradeIdNumeric: numeric,
    price,
    size,
    side,
    exchangeUs,
  };
}

function readTradesEvent(): TradesEvent {
  let seen = 0;
  let type: 'snapshot' | 'update' = 'update';
  let trades: Trade[] = [];
  if (open(LBRACE, RBRACE)) {
    let k = 0;
    do {
      const index = nextMember(TRADES_EVENT, k++);
      switch (index) {
        case 0:
          type = readEventType();
          break;
        case 1:
          trades = [];
          if (open(LBRACKET, RBRACKET)) {
            do trades.push(readTrade());
            while (more(RBRACKET));
          }
          break;
        default:
          skipValue(1);
      }
      seen = mark(seen, index);
    } while (more(RBRACE));
  }
  if (seen !== 3) throw BAIL;
  return { type, trades };
}

const CHANNEL_BOOK = 1;
const CHANNEL_TRADES = 2;

function scanEnvelope(): ParsedFrame {
  let seen = 0;
  let channel = 0;
  let seq = 0;
  let packetUs = 0;
  let bookEvents: BookEvent[] | null = null;
  let tradesEvents: TradesEvent[] | null = null;
  if (!open(LBRACE, RBRACE)) throw BAIL;
  let k = 0;
  do {
    const index = nextMember(ENVELOPE, k++);
    switch (index) {
      case 0:
        readString();
        if (is(V_L2_DATA)) channel = CHANNEL_BOOK;
        else if (is(V_MARKET_TRADES)) channel = CHANNEL_TRADES;
        else throw BAIL;
        break;
      case 2:
        packetUs = readIsoMicros();
        break;
      case 3:
        seq = readSequence();
        break;
      case 4:
        // Events are read by channel: a frame naming its channel after its events is left to JSON.parse.
        if (channel === CHANNEL_BOOK) {
          bookEvents = [];
          if (open(LBRACKET, RBRACKET)) {
            do bookEvents.push(readBookEvent());
            while (more(RBRACKET));
          }
        } else if (channel === CHANNEL_TRADES) {
          tradesEvents = [];
          if (open(LBRACKET, RBRACKET)) {
            do tradesEvents.push(readTradesEvent());
            while (more(RBRACKET));
          }
        } else throw BAIL;
        break;
      case 5:
        throw BAIL; // {"type":"error"} and anything else typed: the full parser
      default:
        skipValue(1); // client_id and members Coinbase may add
    }
    seen = mark(seen, index);
  } while (more(RBRACE));
  skipSpace();
  if ((seen & 0b11101) !== 0b11101 || p !== end) throw BAIL;
  if (bookEvents !== null) return { kind: 'l2_data', seq, rowSeq: seq, packetUs, events: bookEvents };
  return { kind: 'market_trades', seq, rowSeq: seq, packetUs, events: tradesEvents! };
}

/**
 * The frame as parseAdvancedTradeFrame would return it, for valid l2_data and market_trades frames;
 * null for every other frame (then call parseAdvancedTradeFrame on the decoded text).
 */
export function scanAdvancedTradeFrame(bytes: Uint8Array): ParsedFrame | null {
  b = bytes;
  p = 0;
  end = bytes.length;
  try {
    return scanEnvelope();
  } catch (error) {
    if (error === BAIL) return null;
    throw error;
  } finally {
    b = EMPTY; // do not keep the frame's buffer alive
  }
}
