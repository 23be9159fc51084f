/**
 * Generates a realistic recorded Advanced Trade session (see src/record/session-file.ts) following
 * Coinbase's documented message formats: per connection the subscription acknowledgements, a
 * market_trades snapshot and an l2_data snapshot per product, then trade and book updates and one
 * heartbeat a second, all numbered by one sequence_num per connection.
 *
 * Deterministic for a given seed. The market keeps moving while disconnected, so the snapshot after a
 * reconnect overlaps stored trades and can skip some, as a real reconnect does.
 */

export interface ProductModel {
  id: string;
  /** Mid price in cents. */
  midCents: number;
  /** Typical trade size in 10^-8 units. */
  lotUnits: number;
  /** Trades per second. */
  tradeRate: number;
  /** Book update frames per second. */
  bookRate: number;
  firstTradeId: number;
}

export interface SegmentPlan {
  durationMs: number;
  /** How this connection ends: a sequence gap the client reconnects on, a server drop, or the end of the file. */
  ending: 'gap' | 'drop' | 'end';
  /** Market time that passes before the next connection delivers data. */
  downtimeMs?: number;
}

export interface SessionPlan {
  seed: number;
  startUs: number;
  products: ProductModel[];
  segments: SegmentPlan[];
  bookDepth: number;
  tradeSnapshotSize: number;
}

export const DEFAULT_PLAN: SessionPlan = {
  seed: 20240312,
  startUs: Date.UTC(2024, 2, 12, 14, 30, 0) * 1000,
  products: [
    {
      id: 'BTC-USD',
      midCents: 7_215_034,
      lotUnits: 2_000_000,
      tradeRate: 6,
      bookRate: 30,
      firstTradeId: 612_004_117,
    },
    {
      id: 'ETH-USD',
      midCents: 401_288,
      lotUnits: 30_000_000,
      tradeRate: 4,
      bookRate: 22,
      firstTradeId: 498_551_203,
    },
    {
      id: 'SOL-USD',
      midCents: 14_731,
      lotUnits: 900_000_000,
      tradeRate: 2,
      bookRate: 12,
      firstTradeId: 91_877_650,
    },
  ],
  segments: [
    { durationMs: 9000, ending: 'gap', downtimeMs: 700 },
    { durationMs: 8000, ending: 'drop', downtimeMs: 2600 },
    { durationMs: 6000, ending: 'end' },
  ],
  bookDepth: 25,
  tradeSnapshotSize: 10,
};

/** mulberry32: small, fast and good enough to make a session look random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const units = (u: number) => {
  const whole = Math.floor(u / 1e8);
  const frac = String(u % 1e8)
    .padStart(8, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
};
const iso = (us: number, extraDigits = '') =>
  `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1e6).padStart(6, '0')}${extraDigits}Z`;

interface Trade {
  id: number;
  priceCents: number;
  size: number;
  side: 'BUY' | 'SELL';
  us: number;
}

class Market {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  readonly trades: Trade[] = [];
  nextTradeId: number;
  mid: number;

  constructor(
    readonly model: ProductModel,
    readonly random: () => number,
    depth: number,
  ) {
    this.nextTradeId = model.firstTradeId;
    this.mid = model.midCents;
    for (let i = 1; i <= depth; i++) {
      this.bids.set(this.mid - i, this.lot());
      this.asks.set(this.mid + i, this.lot());
    }
  }

  lot(): number {
    return Math.max(1000, Math.round(this.model.lotUnits * (0.1 + this.random() * 3)));
  }

  /** One book change near the top; returns the changed levels as [side, priceCents, newSize]. */
  bookChange(): Array<['bid' | 'offer', number, number]> {
    const changes: Array<['bid' | 'offer', number, number]> = [];
    const n = 1 + Math.floor(this.random() * 6);
    for (let i = 0; i < n; i++) {
      const bid = this.random() < 0.5;
      const book = bid ? this.bids : this.asks;
      const price = bid
        ? this.mid - 1 - Math.floor(this.random() * 20)
        : this.mid + 1 + Math.floor(this.random() * 20);
      const size = this.random() < 0.2 ? 0 : this.lot();
      if (size === 0) book.delete(price);
      else book.set(price, size);
      changes.push([bid ? 'bid' : 'offer', price, size]);
    }
    return changes;
  }

  trade(us: number): Trade {
    this.mid += Math.round((this.random() - 0.5) * 4);
    const side = this.random() < 0.5 ? 'BUY' : 'SELL';
    const t = {
      id: this.nextTradeId++,
      priceCents: this.mid + (side === 'BUY' ? -1 : 1),
      size: this.lot(),
      side,
      us,
    } as Trade;
    this.trades.push(t);
    return t;
  }

  top(book: Map<number, number>, depth: number, descending: boolean): Array<[number, number]> {
    return [...book].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])).slice(0, depth);
  }
}

export interface GeneratedSession {
  lines: string[];
  frames: number;
}

export function generateSession(plan: SessionPlan = DEFAULT_PLAN): GeneratedSession {
  const random = prng(plan.seed);
  const markets = plan.products.map((p) => new Market(p, random, plan.bookDepth * 2));
  const lines: string[] = [];
  let clockUs = plan.startUs;
  let frames = 0;
  let lastRecvUs = 0;
  // Trades from before the recording starts, so the first snapshot is not empty.
  for (const m of markets)
    for (let i = 0; i < plan.tradeSnapshotSize; i++) m.trade(clockUs - (60 - i) * 1_000_000);
  const productIds = plan.products.map((p) => p.id);

  for (const [index, segment] of plan.segments.entries()) {
    let seq = 0;
    let heartbeat = 0;
    const emit = (channel: string, events: unknown[], packetUs: number, record = true) => {
      const nanos = String(Math.floor(random() * 1000)).padStart(3, '0');
      const data = JSON.stringify({
        channel,
        client_id: '',
        timestamp: iso(packetUs, nanos),
        sequence_num: seq++,
        events,
      });
      // A receive clock never goes backwards, whatever the network latency did.
      const recvUs = Math.max(lastRecvUs + 1, packetUs + 300 + Math.floor(random() * 2500));
      lastRecvUs = recvUs;
      if (record) {
        lines.push(JSON.stringify({ recv_us: recvUs, data }));
        frames++;
      }
    };
    const emitTrades = (
      type: 'snapshot' | 'update',
      trades: Trade[],
      productId: string,
      packetUs: number,
      record = true,
    ) =>
      emit(
        'market_trades',
        [
          {
            type,
            trades: [...trades].reverse().map((t) => ({
              trade_id: String(t.id),
              product_id: productId,
              price: cents(t.priceCents),
              size: units(t.size),
              side: t.side,
              time: iso(t.us),
            })),
          },
        ],
        packetUs,
        record,
      );

    // Subscribe handshake: one acknowledgement per subscribe message (market_trades, level2, heartbeats).
    const acked: Record<string, string[]> = {};
    for (const channel of ['market_trades', 'level2', 'heartbeats']) {
      acked[channel] = productIds;
      clockUs += 900;
      emit('subscriptions', [{ subscriptions: { ...acked } }], clockUs);
    }
    for (const m of markets) {
      clockUs += 400;
      emitTrades('snapshot', m.trades.slice(-plan.tradeSnapshotSize), m.model.id, clockUs);
      const snapshotLevels = (book: Map<number, number>, side: 'bid' | 'offer') =>
        m.top(book, plan.bookDepth, side === 'bid').map(([price, size]) => ({
          side,
          event_time: '1970-01-01T00:00:00Z',
          price_level: cents(price),
          new_quantity: units(size),
        }));
      clockUs += 600;
      emit(
        'l2_data',
        [
          {
            type: 'snapshot',
            product_id: m.model.id,
            updates: [...snapshotLevels(m.bids, 'bid'), ...snapshotLevels(m.asks, 'offer')],
          },
        ],
        clockUs,
      );
    }

    const endUs = clockUs + segment.durationMs * 1000;
    let nextHeartbeatUs = clockUs + 1_000_000;
    const gapAtUs = clockUs + segment.durationMs * 600;
    let gapDone = segment.ending !== 'gap';
    while (clockUs < endUs) {
      clockUs += 2_000 + Math.floor(random() * 18_000);
      if (clockUs >= nextHeartbeatUs) {
        const hbUs = nextHeartbeatUs;
        nextHeartbeatUs += 1_000_000;
        const go = `${iso(hbUs).replace('T', ' ').slice(0, 26)}${String(Math.floor(random() * 1000)).padStart(3, '0')} +0000 UTC m=+${(91717 + hbUs / 1e6 - plan.startUs / 1e6).toFixed(9)}`;
        emit('heartbeats', [{ current_time: go, heartbeat_counter: String(heartbeat++) }], hbUs + 150);
      }
      // Unrecorded frames: Coinbase sent them, the client never received them (the gap).
      const dropping = !gapDone && clockUs >= gapAtUs;
      const dropCount = dropping ? 3 : 0;
      for (let d = 0; d <= dropCount; d++) {
        const record = d === dropCount;
        const m = markets[Math.floor(random() * markets.length)];
        const tradeChance = m.model.tradeRate / (m.model.tradeRate + m.model.bookRate);
        if (random() < tradeChance) {
          const batch: Trade[] = [];
          const n = 1 + Math.floor(random() * 3);
          for (let i = 0; i < n; i++) batch.push(m.trade(clockUs - 5_000 + i * 900));
          emitTrades('update', batch, m.model.id, clockUs, record);
        } else {
          const updates = m.bookChange().map(([side, price, size]) => ({
            side,
            event_time: iso(clockUs - 1_200, String(Math.floor(random() * 1000)).padStart(3, '0')),
            price_level: cents(price),
            new_quantity: units(size),
          }));
          emit('l2_data', [{ type: 'update', product_id: m.model.id, updates }], clockUs, record);
        }
      }
      if (dropping) {
        gapDone = true;
        break; // the client sees the jump and reconnects at once
      }
    }
    if (index < plan.segments.length - 1) {
      lastRecvUs = Math.max(lastRecvUs + 1, clockUs + 4_000);
      lines.push(JSON.stringify({ recv_us: lastRecvUs, event: 'disconnect' }));
      // The market carries on while nobody listens.
      const downEnd = clockUs + (segment.downtimeMs ?? 1000) * 1000;
      while (clockUs < downEnd) {
        clockUs += 20_000;
        const m = markets[Math.floor(random() * markets.length)];
        if (random() < 0.3) m.trade(clockUs);
        else m.bookChange();
      }
    }
  }
  return { lines, frames };
}
