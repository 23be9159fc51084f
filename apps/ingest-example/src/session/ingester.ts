/**
 * Ingester — Coinbase Advanced Trade websocket → Deepwater feeds (through an IngestSink).
 *
 * Per frame: stamp the receive time, record it (optional), parse, check sequence_num, write the
 * records, count. Gaps, drops, reconnects, staleness and (re)snapshots are written to the product's
 * events feed as well as counted, so a backtest can see where data is missing. Bad frames are kept in
 * the bad-frames file and never stop the ingest.
 */
import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { type MicrosClock, MonotonicMicrosClock, RecordedMicrosClock } from '../coinbase/clock.js';
import { exchangeSubscriptionMessages, parseExchangeFrame } from '../coinbase/exchange-parse.js';
import { scanAdvancedTradeFrame } from '../coinbase/frame-scanner.js';
import type { BookEvent, ParsedFrame, SubscribeChannel, TradesEvent } from '../coinbase/messages.js';
import { parseAdvancedTradeFrame } from '../coinbase/parse.js';
import {
  type BookTuple,
  EventKind,
  FLAG_AFTER_RECONNECT,
  FLAG_LAST_IN_EVENT,
  FLAG_SNAPSHOT,
  FLAG_TRADE_ID_NOT_NUMERIC,
  type TradeTuple,
} from '../feeds/schemas.js';
import type { IngestSink, ProductSink } from '../feeds/sink.js';
import { type Logger, silentLogger } from '../log.js';
import { IngestMetrics, type RateCounter } from '../metrics.js';
import type { BadFrameLog } from '../record/bad-frames.js';
import type { SessionRecorder } from '../record/recorder.js';
import { parseRecvStamp } from '../record/recv-stamp.js';
import { Backoff } from './backoff.js';
import { type CloseInfo, type ConnectionState, ReconnectingSocket } from './connection.js';
import { SequenceTracker, type TradeId, TradeIdTracker } from './sequence.js';
import { subscriptionMessages } from './subscriptions.js';

/** Which Coinbase websocket protocol the server speaks. */
export type CoinbaseProtocol = 'advanced-trade' | 'exchange';

export interface IngesterOptions {
  url: string;
  /** Default 'advanced-trade'. 'exchange': matches, heartbeat and level2_batch from the Exchange feed. */
  protocol?: CoinbaseProtocol;
  products: readonly string[];
  sink: IngestSink;
  /** Data channels to subscribe (default both); heartbeats are always subscribed. */
  channels?: readonly ('market_trades' | 'level2')[];
  /** What a sequence gap does: reconnect for a fresh snapshot (default, as Coinbase advises) or carry on. */
  onGap?: 'reconnect' | 'continue';
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Fraction of each back-off delay added or removed at random (default 0.2; 0: reproducible delays). */
  backoffJitter?: number;
  healthyAfterMs?: number;
  messageTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
  recorder?: SessionRecorder | null;
  badFrames?: BadFrameLog | null;
  /**
   * The receive clock (default: the monotonic wall clock). A RecordedMicrosClock takes the recorded
   * times a replay server announces (ReplayServer's stampRecvUs), so a replay reproduces its recording.
   */
  clock?: MicrosClock;
  log?: Logger;
  /** Close codes after which the server has nothing more to send: the ingester emits 'ended'. */
  endCodes?: readonly number[];
  /** How many of the latest frames the parse+write latency percentiles cover (default 65,536). */
  latencySamples?: number;
}

/**
 * Everything the hot path needs about one product, found with one Map lookup per event: its writers,
 * its rate counters and scratch rows reused from frame to frame.
 */
interface ProductState {
  sink: ProductSink;
  tradesCounter: RateCounter;
  bookCounter: RateCounter;
  eventsCounter: RateCounter;
  /** Set on a new connection after a drop, cleared by the product's next snapshot. */
  bookAfterReconnect: boolean;
  tradesAfterReconnect: boolean;
  bookSnapshots: number;
  /**
   * L2 rows are rebuilt in place for every event: most frames are L2 updates, and allocating a tuple
   * per level made the garbage collector a large share of the ingest time. Sinks copy what they keep.
   */
  bookRows: BookTuple[];
  bookRowPool: BookTuple[];
  /** This frame's trades of the product so far: pooled rows, their ids (-1: not numeric). */
  tradeCount: number;
  tradeRowPool: TradeTuple[];
  tradeIds: TradeId[];
  /** Scratch for storing them: row indexes by id, the numeric ids in order, the rows kept. */
  tradeOrder: number[];
  numericIds: TradeId[];
  keptTrades: TradeTuple[];
}

export interface IngesterStatus {
  url: string;
  state: ConnectionState;
  connection: number;
  products: string[];
  /** What the server last acknowledged, by channel. */
  acknowledged: Record<string, string[]>;
  nextSequence: number | null;
  recordsByFeed: Record<string, number>;
  sequenceGaps: number;
  tradeIdGaps: number;
  reconnects: number;
  badFrames: number;
}

const EMPTY_FRAME = Buffer.alloc(0);

const exchangeProtocol = (options: IngesterOptions) => options.protocol === 'exchange';

export class Ingester extends EventEmitter {
  readonly metrics: IngestMetrics;
  readonly #options: IngesterOptions;
  readonly #channels: readonly SubscribeChannel[];
  readonly #socket: ReconnectingSocket;
  readonly #clock: MicrosClock;
  /** Set when replaying on the recorded clock: rates are then still measured on the wall clock. */
  readonly #recordedClock: RecordedMicrosClock | null;
  readonly #log: Logger;
  readonly #products = new Map<string, ProductState>();
  readonly #sequence = new SequenceTracker();
  readonly #tradeIds = new TradeIdTracker();
  readonly #parse: (text: string) => ParsedFrame;
  /** The byte-level fast path for the protocol's hot frames (null: always decode and parse). */
  readonly #scan: ((bytes: Uint8Array) => ParsedFrame | null) | null;
  /** The current frame's bytes, and its text once something needed it (see #textOf). */
  #data: Buffer = EMPTY_FRAME;
  #text: string | null = null;
  readonly #subscriptionMessages: (
    type: 'subscribe' | 'unsubscribe',
    products: readonly string[],
    channels: readonly SubscribeChannel[],
  ) => unknown[];
  #acknowledged: Record<string, string[]> = {};
  #stopping = false;
  /** Products with trades in the frame being handled (reused). */
  readonly #tradedProducts: ProductState[] = [];

  constructor(options: IngesterOptions) {
    super();
    this.#options = options;
    this.metrics = new IngestMetrics(Date.now(), options.latencySamples);
    this.#channels = [...(options.channels ?? ['market_trades', 'level2']), 'heartbeats'];
    this.#clock = options.clock ?? new MonotonicMicrosClock();
    this.#recordedClock = this.#clock instanceof RecordedMicrosClock ? this.#clock : null;
    this.#log = options.log ?? silentLogger;
    const exchange = options.protocol === 'exchange';
    this.#parse = exchange ? parseExchangeFrame : parseAdvancedTradeFrame;
    this.#scan = exchange ? null : scanAdvancedTradeFrame;
    this.#subscriptionMessages = exchange ? exchangeSubscriptionMessages : subscriptionMessages;
    const backoff = new Backoff({
      initialMs: options.backoffInitialMs ?? 500,
      maxMs: options.backoffMaxMs ?? 30_000,
      jitter: options.backoffJitter,
    });
    this.#socket = new ReconnectingSocket(
      {
        url: options.url,
        backoff,
        healthyAfterMs: options.healthyAfterMs ?? 10_000,
        messageTimeoutMs: options.messageTimeoutMs ?? 15_000,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
        endCodes: options.endCodes,
        autoPong: this.#recordedClock === null,
      },
      {
        onOpen: (connection, attempt, waitedMs) => this.#opened(connection, attempt, waitedMs),
        onFrame: (data, connection) => this.#frame(data, connection),
        onClose: (info) => this.#closed(info),
        onPing: (payload) => {
          const recvUs = this.#recordedClock === null ? null : parseRecvStamp(payload);
          if (recvUs !== null) this.#recordedClock?.stamp(recvUs);
        },
        onReconnectScheduled: (attempt, delayMs, reason) => {
          this.metrics.reconnects++;
          this.#log.warn(`reconnecting in ${delayMs} ms (attempt ${attempt}; ${reason})`);
        },
      },
    );
    try {
      for (const product of options.products) this.#openProduct(product);
    } catch (error) {
      // Release the writers already taken, so a failed start leaves every feed free.
      for (const product of [...this.#products.keys()]) this.#closeProduct(product);
      throw error;
    }
  }

  get products(): string[] {
    return [...this.#products.keys()];
  }

  start(): void {
    this.#log.info(`connecting to ${this.#options.url} for ${this.products.join(' ') || 'no products yet'}`);
    this.#socket.start();
  }

  /**
   * Opens the products' feeds and subscribes them on the live connection (or at the next connect).
   * Returns the products added; throws, after subscribing the rest, naming any whose feeds could not be
   * opened (e.g. another ingester holds their writers).
   */
  subscribe(products: readonly string[]): string[] {
    const added: string[] = [];
    const failures: string[] = [];
    for (const product of products) {
      if (this.#products.has(product) || added.includes(product)) continue;
      try {
        this.#openProduct(product);
      } catch (error) {
        failures.push(`${product}: ${(error as Error).message}`);
        continue;
      }
      added.push(product);
      this.#event(product, EventKind.SUBSCRIBED, 0, 0);
    }
    for (const message of this.#subscriptionMessages('subscribe', added, this.#channels))
      this.#socket.send(message);
    if (failures.length > 0) throw new Error(`could not subscribe ${failures.join('; ')}`);
    return added;
  }

  /** Unsubscribes and closes the products' writers; their feeds stay on disk. */
  unsubscribe(products: readonly string[]): string[] {
    const removed = products.filter((p) => this.#products.has(p));
    for (const message of this.#subscriptionMessages('unsubscribe', removed, this.#channels))
      this.#socket.send(message);
    for (const product of removed) {
      this.#event(product, EventKind.UNSUBSCRIBED, 0, 0);
      this.#closeProduct(product);
    }
    return removed;
  }

  status(): IngesterStatus {
    const m = this.metrics;
    return {
      url: this.#options.url,
      state: this.#socket.state,
      connection: this.#socket.connection,
      products: this.products,
      acknowledged: this.#acknowledged,
      nextSequence: this.#sequence.nextExpected,
      recordsByFeed: Object.fromEntries([...m.recordsByFeed].map(([feed, c]) => [feed, c.total])),
      sequenceGaps: m.sequenceGaps,
      tradeIdGaps: m.tradeIdGaps,
      reconnects: m.reconnects,
      badFrames: m.badFrames,
    };
  }

  /** Closes the socket and every product's writers. The sink itself stays open (its owner closes it). */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    await this.#socket.stop();
    for (const product of [...this.#products.keys()]) this.#closeProduct(product);
    this.emit('stopped');
  }

  #openProduct(product: string): void {
    const sink = this.#options.sink.openProduct(product);
    this.#products.set(product, {
      sink,
      tradesCounter: this.metrics.counter(sink.feeds.trades),
      bookCounter: this.metrics.counter(sink.feeds.book),
      eventsCounter: this.metrics.counter(sink.feeds.events),
      bookAfterReconnect: false,
      tradesAfterReconnect: false,
      bookSnapshots: 0,
      bookRows: [],
      bookRowPool: [],
      tradeCount: 0,
      tradeRowPool: [],
      tradeIds: [],
      tradeOrder: [],
      numericIds: [],
      keptTrades: [],
    });
  }

  #closeProduct(product: string): void {
    const state = this.#products.get(product);
    if (state === undefined) return;
    this.#products.delete(product);
    this.#tradeIds.forget(product);
    try {
      state.sink.close();
    } catch (error) {
      this.#log.error(`closing the writers of ${product}: ${(error as Error).message}`);
    }
  }

  #opened(connection: number, attempt: number, waitedMs: number): void {
    this.#sequence.reset();
    this.#acknowledged = {};
    const reconnected = connection > 1;
    this.#log.info(`connected (connection ${connection}) to ${this.#options.url}`);
    for (const [product, state] of this.#products) {
      state.bookAfterReconnect = reconnected;
      state.tradesAfterReconnect = reconnected;
      if (reconnected) this.#event(product, EventKind.RECONNECT, attempt, waitedMs);
    }
    for (const message of this.#subscriptionMessages('subscribe', this.products, this.#channels))
      this.#socket.send(message);
    if (this.#products.size === 0 && !exchangeProtocol(this.#options)) {
      this.#socket.send({ type: 'subscribe', channel: 'heartbeats' });
    }
    this.emit('connected', connection);
  }

  #closed(info: CloseInfo): void {
    const nowUs = this.#clock.nowUs();
    const dropped = info.cause !== 'stopped' && info.cause !== 'ended';
    if (dropped) this.#options.recorder?.disconnect(nowUs);
    if (info.cause === 'stale') {
      this.metrics.staleReconnects++;
      for (const product of this.#products.keys()) {
        this.#event(product, EventKind.STALE, Math.round(info.silentMs ?? 0), info.timeoutMs ?? 0, nowUs);
      }
    }
    if (dropped) {
      for (const product of this.#products.keys()) {
        this.#event(product, EventKind.DISCONNECT, info.code, info.framesReceived, nowUs);
      }
    }
    const level = dropped ? 'warn' : 'info';
    this.#log[level](
      `connection ${info.connection} closed (${info.cause}, code ${info.code}${info.detail ? `: ${info.detail}` : ''}) after ${info.framesReceived} frames`,
    );
    this.emit('disconnected', info);
    if (info.cause === 'ended') this.emit('ended', info);
  }

  #frame(data: Buffer, connection: number): void {
    const startedMs = performance.now();
    const recvUs = this.#clock.nowUs();
    this.#data = data;
    this.#text = null;
    this.#options.recorder?.frame(recvUs, this.#textOf());
    const nowMs = this.#metricsMs(recvUs);
    this.metrics.messages.add(1, nowMs);
    this.metrics.bytes.add(data.length, nowMs);
    const frame = this.#scan?.(data) ?? this.#parseText();
    let gap = false;
    if (frame.seq !== null) {
      const found = this.#sequence.observe(frame.seq);
      if (found !== null) {
        gap = true;
        this.metrics.sequenceGaps++;
        this.#log.warn(
          `sequence gap on connection ${connection}: expected ${found.expected}, got ${found.received}`,
        );
        for (const product of this.#products.keys()) {
          this.#event(product, EventKind.SEQUENCE_GAP, found.expected, found.received - 1, recvUs);
        }
      }
    }
    try {
      this.#dispatch(frame, recvUs);
    } catch (error) {
      // A write the sink refused: keep the frame and carry on; what was written before is intact.
      this.metrics.writeErrors++;
      this.#bad(recvUs, `write failed: ${(error as Error).message}`);
    }
    this.#data = EMPTY_FRAME;
    this.#text = null;
    this.metrics.latency.record((performance.now() - startedMs) * 1000);
    this.emit('frame', frame);
    if (gap && this.#options.onGap !== 'continue') this.#socket.reconnect('sequence gap');
  }

  /** Rates are per wall-clock second, whatever clock stamps the records. */
  #metricsMs(recvUs: number): number {
    return this.#recordedClock === null ? recvUs / 1000 : Date.now();
  }

  /** The current frame as text, decoded once and only when needed (the fast path never needs it). */
  #textOf(): string {
    this.#text ??= this.#data.toString('utf8');
    return this.#text;
  }

  /** The full parser, on frames the fast path left to it (the socket does not check UTF-8: this does). */
  #parseText(): ParsedFrame {
    if (!isUtf8(this.#data)) return { kind: 'malformed', seq: null, reason: 'not valid UTF-8' };
    return this.#parse(this.#textOf());
  }

  #dispatch(frame: ParsedFrame, recvUs: number): void {
    switch (frame.kind) {
      case 'market_trades':
        this.#trades(frame.events, frame.packetUs, frame.rowSeq, recvUs);
        break;
      case 'l2_data':
        this.#book(frame.events, frame.packetUs, frame.rowSeq, recvUs);
        break;
      case 'heartbeats':
        this.#socket.markHeartbeat();
        if (frame.lastTradeId !== undefined) this.#heartbeatTradeId(frame.lastTradeId, recvUs);
        break;
      case 'subscriptions':
        this.#acknowledged = frame.subscriptions;
        this.#log.debug(`subscriptions acknowledged: ${JSON.stringify(frame.subscriptions)}`);
        break;
      case 'server_error':
        this.metrics.serverErrors++;
        this.#bad(recvUs, `server error: ${frame.message}`);
        break;
      case 'unknown_channel':
        this.#bad(recvUs, `unknown channel "${frame.channel}"`);
        break;
      case 'malformed':
        this.#bad(recvUs, `malformed: ${frame.reason}`);
        break;
    }
  }

  #trades(events: TradesEvent[], packetUs: number, seq: number, recvUs: number): void {
    const traded = this.#tradedProducts;
    traded.length = 0;
    try {
      for (const event of events) {
        const snapshot = event.type === 'snapshot';
        for (const t of event.trades) {
          const state = this.#products.get(t.productId);
          if (state === undefined) continue; // in flight after an unsubscribe
          let flags = t.tradeIdNumeric ? 0 : FLAG_TRADE_ID_NOT_NUMERIC;
          if (snapshot) flags |= FLAG_SNAPSHOT | (state.tradesAfterReconnect ? FLAG_AFTER_RECONNECT : 0);
          if (state.tradeCount === 0) traded.push(state);
          const i = state.tradeCount++;
          let row = state.tradeRowPool[i];
          if (row === undefined) {
            row = [0, 0, 0, 0, 0, 0, 0, 'B', 0];
            state.tradeRowPool.push(row);
          }
          row[0] = recvUs;
          row[1] = packetUs;
          row[2] = t.exchangeUs;
          row[3] = t.tradeId;
          row[4] = t.price;
          row[5] = t.size;
          row[6] = seq;
          row[7] = t.side;
          row[8] = flags;
          state.tradeIds[i] = t.tradeIdNumeric ? t.tradeId : -1;
        }
        if (snapshot) for (const state of traded) state.tradesAfterReconnect = false;
      }
      for (const state of traded) this.#storeTrades(state, recvUs);
    } finally {
      for (const state of traded) state.tradeCount = 0;
    }
  }

  /** Stores one product's trades of a frame oldest first, without the ids already stored. */
  #storeTrades(state: ProductState, recvUs: number): void {
    const n = state.tradeCount;
    const ids = state.tradeIds;
    const rows = state.tradeRowPool;
    // Coinbase lists trades newest first; store them oldest first. A stable insertion sort: a frame
    // holds a few trades (a snapshot some tens), and non-numeric ids (-1) keep their order in front.
    const order = state.tradeOrder;
    order.length = n;
    for (let i = 0; i < n; i++) {
      const index = i;
      const id = ids[index];
      let j = i - 1;
      while (j >= 0 && ids[order[j]] > id) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = index;
    }
    const numericIds = state.numericIds;
    numericIds.length = 0;
    for (let k = 0; k < n; k++) if (ids[order[k]] >= 0) numericIds.push(ids[order[k]]);
    const product = state.sink.productId;
    const { keep, gaps } = this.#tradeIds.check(product, numericIds);
    const kept = state.keptTrades;
    kept.length = 0;
    let numeric = 0;
    let highestStored: TradeId | undefined;
    for (let k = 0; k < n; k++) {
      const index = order[k];
      if (ids[index] >= 0 && !keep[numeric++]) continue;
      kept.push(rows[index]);
      if (ids[index] >= 0) highestStored = ids[index];
    }
    this.metrics.duplicateTrades += n - kept.length;
    for (const gap of gaps) {
      this.metrics.tradeIdGaps++;
      this.#log.warn(`trade id gap on ${product}: ${gap.from}..${gap.to} missing`);
      this.#event(product, EventKind.TRADE_ID_GAP, gap.from, gap.to, recvUs);
    }
    if (kept.length === 0) return;
    state.sink.writeTrades(kept);
    if (highestStored !== undefined) this.#tradeIds.commit(product, highestStored);
    state.tradesCounter.add(kept.length, this.#metricsMs(recvUs));
  }

  #book(events: BookEvent[], packetUs: number, seq: number, recvUs: number): void {
    for (const event of events) {
      const state = this.#products.get(event.productId);
      if (state === undefined) continue; // in flight after an unsubscribe
      let flags = 0;
      if (event.type === 'snapshot') {
        flags = FLAG_SNAPSHOT | (state.bookAfterReconnect ? FLAG_AFTER_RECONNECT : 0);
        const kind = state.bookSnapshots > 0 ? EventKind.RESNAPSHOT : EventKind.SNAPSHOT;
        this.#event(event.productId, kind, event.levels.length, 0, recvUs);
        state.bookSnapshots++;
        state.bookAfterReconnect = false;
      }
      const levels = event.levels;
      const n = levels.length;
      if (n === 0) continue;
      const pool = state.bookRowPool;
      while (pool.length < n) pool.push([0, 0, 0, 0, 0, 0, 'b', 0]);
      const rows = state.bookRows;
      rows.length = n;
      for (let i = 0; i < n; i++) {
        const l = levels[i];
        const row = pool[i];
        row[0] = recvUs;
        row[1] = packetUs;
        row[2] = l.exchangeUs;
        row[3] = l.price;
        row[4] = l.quantity;
        row[5] = seq;
        row[6] = l.side;
        row[7] = i === n - 1 ? flags | FLAG_LAST_IN_EVENT : flags;
        rows[i] = row;
      }
      state.sink.writeBook(rows);
      state.bookCounter.add(n, this.#metricsMs(recvUs));
    }
  }

  #event(
    product: string,
    kind: EventKind,
    from: number | bigint,
    to: number | bigint,
    recvUs = this.#clock.nowUs(),
  ) {
    const state = this.#products.get(product);
    if (state === undefined) return;
    try {
      state.sink.writeEvent([recvUs, from, to, this.#socket.connection, kind]);
      state.eventsCounter.add(1, this.#metricsMs(recvUs));
    } catch (error) {
      this.metrics.writeErrors++;
      this.#log.error(`writing a ${kind} event for ${product}: ${(error as Error).message}`);
    }
  }

  /** Exchange heartbeats: a last_trade_id beyond the last stored trade means matches were dropped. */
  #heartbeatTradeId(last: { productId: string; tradeId: number }, recvUs: number): void {
    const stored = this.#tradeIds.last(last.productId);
    const id = last.tradeId;
    if (stored === undefined || id <= stored || !this.#products.has(last.productId)) return;
    const first = typeof stored === 'bigint' ? stored + 1n : stored + 1;
    this.metrics.tradeIdGaps++;
    this.#log.warn(`heartbeat shows trades ${first}..${id} of ${last.productId} never arrived`);
    this.#event(last.productId, EventKind.TRADE_ID_GAP, first, id, recvUs);
    // Those ids are accounted for now: the next match continues from the heartbeat's id.
    this.#tradeIds.commit(last.productId, id);
  }

  #bad(recvUs: number, reason: string): void {
    this.metrics.badFrames++;
    this.#log.warn(`bad frame kept (${reason.slice(0, 200)})`);
    this.#options.badFrames?.add(recvUs, reason, this.#textOf());
  }
}
