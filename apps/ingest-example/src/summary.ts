/**
 * What an ingest run stored, read back through the sdk's public readers: records per feed, a range
 * query over the run, the latest trades and every gap, drop and resnapshot the events feeds hold.
 */
import { Platform } from '@deepwater/sdk';
import { PRICE_SCALE, SIZE_SCALE, scaledToDecimal } from './coinbase/decimal.js';
import { microsToIso } from './coinbase/timestamps.js';
import { EVENT_KIND_NAMES, EventKind } from './feeds/schemas.js';
import { type FeedPrefix, feedNames as namesWithPrefix } from './products.js';

export interface SummaryOptions {
  basePath: string;
  /** The run's window on recv_us; records outside it are counted as "before this run". */
  sinceUs: number;
  untilUs: number;
  products: readonly string[];
  latestTrades?: number;
  /** 'CB' (default) or 'CBX' for Exchange-feed runs. */
  prefix?: FeedPrefix;
}

const NOTABLE = new Set<number>([
  EventKind.SEQUENCE_GAP,
  EventKind.TRADE_ID_GAP,
  EventKind.DISCONNECT,
  EventKind.RECONNECT,
  EventKind.RESNAPSHOT,
  EventKind.STALE,
]);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

export function summarize(options: SummaryOptions): string {
  const feedNames = (product: string) => namesWithPrefix(product, options.prefix ?? 'CB');
  const platform = new Platform(options.basePath);
  const out: string[] = [];
  try {
    const known = new Set(platform.listFeeds().map((f) => f.name));
    const products = options.products.filter((p) => known.has(feedNames(p).trades));
    out.push(`Stored in ${options.basePath}`);
    const rows = [['feed', 'this run', 'total', 'chunks']];
    for (const product of products) {
      for (const feed of Object.values(feedNames(product))) {
        const status = platform.feedStatus(feed);
        const reader = platform.createReader(feed);
        const thisRun =
          reader.range(options.sinceUs, options.untilUs, { format: 'raw' }).length / reader.recordSize;
        reader.close();
        rows.push([feed, String(thisRun), String(status.records), String(status.chunkCount)]);
      }
    }
    out.push(table(rows), '');

    const first = products[0];
    if (first !== undefined) {
      const trades = platform.createReader(feedNames(first).trades, { int64: 'bigint' });
      // The first half of this run's trades by receive time: [first trade, midpoint).
      const received = trades.range(options.sinceUs, options.untilUs, { format: 'columnar' })
        .recv_us as BigUint64Array;
      const firstUs = received.length > 0 ? Number(received[0]) : options.sinceUs;
      const lastUs = received.length > 0 ? Number(received[received.length - 1]) : options.untilUs;
      const midUs = Math.floor((firstUs + lastUs) / 2) + 1;
      const window = trades.range(firstUs, midUs, { format: 'columnar' });
      const prices = window.price as BigInt64Array;
      const sizes = window.size as BigInt64Array;
      let notional = 0n;
      let volume = 0n;
      for (let i = 0; i < prices.length; i++) {
        notional += prices[i] * sizes[i];
        volume += sizes[i];
      }
      const vwap = volume > 0n ? scaledToDecimal(notional / volume, PRICE_SCALE) : '—';
      out.push(
        `Range query: ${feedNames(first).trades}.range(${firstUs}, ${midUs}) → ${prices.length} trades, ` +
          `volume ${scaledToDecimal(volume, SIZE_SCALE)}, VWAP ${vwap} (exact integer arithmetic)`,
        '',
      );
      const latest = trades.latest(3600, { format: 'object' }).slice(-(options.latestTrades ?? 5));
      trades.close();
      out.push(`Latest ${latest.length} trades of ${first} (latest() on ${feedNames(first).trades}):`);
      out.push(
        table([
          ['exchange time', 'side', 'price', 'size', 'trade id'],
          ...latest.map((t) => [
            microsToIso(Number(t.exchange_us)),
            t.side === 'B' ? 'buy' : 'sell',
            scaledToDecimal(t.price as bigint, PRICE_SCALE),
            scaledToDecimal(t.size as bigint, SIZE_SCALE),
            String(t.trade_id),
          ]),
        ]),
        '',
      );
    }

    out.push('Gaps, drops and resnapshots recorded in the events feeds (this run):');
    let notable = 0;
    for (const product of products) {
      const events = platform.createReader(feedNames(product).events);
      for (const e of events.range(options.sinceUs, options.untilUs, { format: 'object' })) {
        const kind = Number(e.kind);
        if (!NOTABLE.has(kind)) continue;
        notable++;
        const detail =
          kind === EventKind.SEQUENCE_GAP || kind === EventKind.TRADE_ID_GAP
            ? `missing ${e.from_value}..${e.to_value}`
            : kind === EventKind.DISCONNECT
              ? `close code ${e.from_value} after ${e.to_value} frames`
              : kind === EventKind.RECONNECT
                ? `attempt ${e.from_value}, waited ${e.to_value} ms`
                : kind === EventKind.RESNAPSHOT
                  ? `${e.from_value} levels`
                  : `silent ${e.from_value} ms (timeout ${e.to_value} ms)`;
        out.push(
          `  ${product.padEnd(9)} connection ${e.connection}  ${EVENT_KIND_NAMES[kind].padEnd(13)} ${detail}`,
        );
      }
      events.close();
    }
    if (notable === 0) out.push('  none');
  } finally {
    platform.close();
  }
  return out.join('\n');
}
