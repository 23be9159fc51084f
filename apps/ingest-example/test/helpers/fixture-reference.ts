/**
 * An independent reading of a recorded session, written plainly (JSON.parse, string → BigInt) so the
 * end-to-end tests check the ingester against the fixture rather than against its own parser.
 */
import { readFileSync } from 'node:fs';

export const FIXTURE = new URL('../../fixtures/session.jsonl', import.meta.url).pathname;

const scaled = (text: string, scale: number): bigint => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(scale, '0'));
};
const micros = (iso: string): bigint => {
  if (iso.startsWith('1970-01-01T00:00:00')) return 0n;
  const seconds = BigInt(Date.parse(`${iso.slice(0, 19)}Z`) / 1000);
  const fraction = (iso.slice(20).match(/^\d+/)?.[0] ?? '').slice(0, 6).padEnd(6, '0');
  return seconds * 1_000_000n + BigInt(fraction);
};

export interface ExpectedTrade {
  tradeId: bigint;
  price: bigint;
  size: bigint;
  side: string;
  exchangeUs: bigint;
  packetUs: bigint;
  seq: bigint;
}

export interface ExpectedLevel {
  price: bigint;
  qty: bigint;
  side: string;
  exchangeUs: bigint;
  snapshot: boolean;
  seq: bigint;
}

export interface FixtureReference {
  products: string[];
  frames: number;
  disconnects: number;
  /** Unique trades per product in ascending id order (the first occurrence of each id). */
  trades: Map<string, ExpectedTrade[]>;
  /** L2 levels per product in arrival order. */
  levels: Map<string, ExpectedLevel[]>;
  /** Missing trade id ranges per product. */
  tradeIdGaps: Map<string, Array<[bigint, bigint]>>;
  /** Recorded sequence jumps: [first missing, last missing]. */
  sequenceGaps: Array<[number, number]>;
  /** L2 snapshots per product. */
  snapshots: Map<string, number>;
}

export function readReference(path = FIXTURE): FixtureReference {
  const lines = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const ref: FixtureReference = {
    products: [],
    frames: 0,
    disconnects: 0,
    trades: new Map(),
    levels: new Map(),
    tradeIdGaps: new Map(),
    sequenceGaps: [],
    snapshots: new Map(),
  };
  const seen = new Map<string, Map<bigint, ExpectedTrade>>();
  const product = (id: string) => {
    if (!ref.products.includes(id)) {
      ref.products.push(id);
      seen.set(id, new Map());
      ref.levels.set(id, []);
      ref.snapshots.set(id, 0);
    }
  };
  let lastSeq: number | null = null;
  for (const line of lines) {
    if (line.event === 'disconnect') {
      ref.disconnects++;
      lastSeq = null;
      continue;
    }
    ref.frames++;
    const m = JSON.parse(line.data);
    if (lastSeq !== null && m.sequence_num > lastSeq + 1)
      ref.sequenceGaps.push([lastSeq + 1, m.sequence_num - 1]);
    lastSeq = m.sequence_num;
    const packetUs = micros(m.timestamp);
    if (m.channel === 'market_trades') {
      for (const event of m.events) {
        for (const t of event.trades) {
          product(t.product_id);
          const id = BigInt(t.trade_id);
          const bucket = seen.get(t.product_id)!;
          if (bucket.has(id)) continue;
          bucket.set(id, {
            tradeId: id,
            price: scaled(t.price, 10),
            size: scaled(t.size, 8),
            side: t.side === 'BUY' ? 'B' : 'S',
            exchangeUs: micros(t.time),
            packetUs,
            seq: BigInt(m.sequence_num),
          });
        }
      }
    }
    if (m.channel === 'l2_data') {
      for (const event of m.events) {
        product(event.product_id);
        if (event.type === 'snapshot')
          ref.snapshots.set(event.product_id, ref.snapshots.get(event.product_id)! + 1);
        for (const u of event.updates) {
          ref.levels.get(event.product_id)!.push({
            price: scaled(u.price_level, 10),
            qty: scaled(u.new_quantity, 8),
            side: u.side === 'bid' ? 'b' : 'a',
            exchangeUs: micros(u.event_time),
            snapshot: event.type === 'snapshot',
            seq: BigInt(m.sequence_num),
          });
        }
      }
    }
  }
  for (const [id, bucket] of seen) {
    const sorted = [...bucket.values()].sort((a, b) => (a.tradeId < b.tradeId ? -1 : 1));
    ref.trades.set(id, sorted);
    const gaps: Array<[bigint, bigint]> = [];
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].tradeId > sorted[i - 1].tradeId + 1n)
        gaps.push([sorted[i - 1].tradeId + 1n, sorted[i].tradeId - 1n]);
    }
    ref.tradeIdGaps.set(id, gaps);
  }
  return ref;
}
