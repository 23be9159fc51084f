/** The Exchange feed (matches, heartbeat, level2_batch) against a scripted local server. */
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySink } from '../src/feeds/memory-sink.js';
import { EventKind, FLAG_SNAPSHOT } from '../src/feeds/schemas.js';
import { Ingester } from '../src/session/ingester.js';
import { ScriptedServer } from './helpers/scripted-server.js';

const T = '2024-03-12T14:30:00.5Z';
const match = (id: number, type = 'match') =>
  JSON.stringify({
    type,
    trade_id: id,
    sequence: 1000 + id,
    time: T,
    product_id: 'BTC-USD',
    size: '0.01',
    price: '72000.5',
    side: 'buy',
  });

let server: ScriptedServer | null = null;
let ingester: Ingester | null = null;

afterEach(async () => {
  await ingester?.stop();
  await server?.close();
});

describe('the Exchange feed', () => {
  it('subscribes in one message, stores matches and books, and finds dropped trades by id and by heartbeat', async () => {
    server = await ScriptedServer.start((c) => {
      c.socket.on('message', () => {
        c.socket.send(
          JSON.stringify({
            type: 'subscriptions',
            channels: [{ name: 'matches', product_ids: ['BTC-USD'] }],
          }),
        );
        c.socket.send(match(100, 'last_match'));
        c.socket.send(match(101));
        c.socket.send(match(103)); // 102 never arrived
        c.socket.send(
          JSON.stringify({
            type: 'heartbeat',
            sequence: 2000,
            last_trade_id: 105,
            product_id: 'BTC-USD',
            time: T,
          }),
        );
        c.socket.send(
          JSON.stringify({
            type: 'snapshot',
            product_id: 'BTC-USD',
            bids: [['72000.1', '1.5']],
            asks: [['72000.9', '2']],
          }),
        );
        c.socket.send(
          JSON.stringify({
            type: 'l2update',
            product_id: 'BTC-USD',
            time: T,
            changes: [['sell', '72000.9', '0']],
          }),
        );
        c.socket.send(match(106));
      });
    });
    const sink = new MemorySink({ prefix: 'CBX' });
    ingester = new Ingester({
      url: server.url,
      protocol: 'exchange',
      products: ['BTC-USD'],
      sink,
      heartbeatTimeoutMs: 0,
      messageTimeoutMs: 0,
    });
    ingester.start();
    await server.until(() => sink.rows('CBX-TRADES-BTC-USD').length === 4, 'four trades');

    expect(server.connections[0].received).toEqual([
      { type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches', 'level2_batch', 'heartbeat'] },
    ]);
    const trades = sink.rows('CBX-TRADES-BTC-USD');
    expect(trades.map((t) => [t[3], t[4], t[5], t[6], t[7], (t[8] as number) & FLAG_SNAPSHOT])).toEqual([
      [100, 720005000000000, 1000000, 1100, 'B', FLAG_SNAPSHOT],
      [101, 720005000000000, 1000000, 1101, 'B', 0],
      [103, 720005000000000, 1000000, 1103, 'B', 0],
      [106, 720005000000000, 1000000, 1106, 'B', 0],
    ]);
    const gaps = sink.rows('CBX-EVENTS-BTC-USD').filter((e) => e[4] === EventKind.TRADE_ID_GAP);
    expect(gaps.map((e) => [BigInt(e[1] as number), BigInt(e[2] as number)])).toEqual([
      [102n, 102n],
      [104n, 105n],
    ]);
    expect(sink.rows('CBX-L2-BTC-USD').map((r) => [r[3], r[4], r[6]])).toEqual([
      [720001000000000, 150000000, 'b'],
      [720009000000000, 200000000, 'a'],
      [720009000000000, 0, 'a'],
    ]);
    expect(ingester.metrics.snapshot()).toMatchObject({ tradeIdGaps: 2, sequenceGaps: 0, badFrames: 0 });
  });
});
