import { describe, expect, it } from 'vitest';
import { exchangeSubscriptionMessages, parseExchangeFrame } from '../../src/coinbase/exchange-parse.js';

const T = '2024-03-12T14:30:00.123456Z';
const T_US = Date.UTC(2024, 2, 12, 14, 30, 0) * 1000 + 123456;
const match = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'match',
    trade_id: 10,
    sequence: 50,
    maker_order_id: 'a',
    taker_order_id: 'b',
    time: T,
    product_id: 'ETH-USD',
    size: '5.23512',
    price: '400.23',
    side: 'sell',
    ...extra,
  });

describe('parseExchangeFrame', () => {
  it('turns a match into a trade with the product sequence as its seq', () => {
    expect(parseExchangeFrame(match())).toEqual({
      kind: 'market_trades',
      seq: null,
      rowSeq: 50,
      packetUs: T_US,
      events: [
        {
          type: 'update',
          trades: [
            {
              productId: 'ETH-USD',
              tradeId: 10,
              tradeIdNumeric: true,
              price: 4002300000000,
              size: 523512000,
              side: 'S',
              exchangeUs: T_US,
            },
          ],
        },
      ],
    });
  });

  it('treats last_match as a one-trade snapshot', () => {
    const parsed = parseExchangeFrame(match({ type: 'last_match' }));
    expect(parsed.kind === 'market_trades' && parsed.events[0].type).toBe('snapshot');
  });

  it('reads level2_batch snapshots and updates', () => {
    const snapshot = parseExchangeFrame(
      JSON.stringify({
        type: 'snapshot',
        product_id: 'BTC-USD',
        bids: [['10101.10', '0.45054140']],
        asks: [['10102.55', '0.57753524']],
      }),
    );
    expect(snapshot).toMatchObject({
      kind: 'l2_data',
      events: [
        {
          type: 'snapshot',
          productId: 'BTC-USD',
          levels: [
            { side: 'b', exchangeUs: 0, price: 101011000000000, quantity: 45054140 },
            { side: 'a', exchangeUs: 0, price: 101025500000000, quantity: 57753524 },
          ],
        },
      ],
    });
    const update = parseExchangeFrame(
      JSON.stringify({
        type: 'l2update',
        product_id: 'BTC-USD',
        time: T,
        changes: [['buy', '10101.80000000', '0.162567']],
      }),
    );
    expect(update).toMatchObject({
      kind: 'l2_data',
      packetUs: T_US,
      events: [
        {
          type: 'update',
          levels: [{ side: 'b', exchangeUs: T_US, price: 101018000000000, quantity: 16256700 }],
        },
      ],
    });
  });

  it('reads the heartbeat with its last trade id', () => {
    expect(
      parseExchangeFrame(
        JSON.stringify({
          type: 'heartbeat',
          sequence: 90,
          last_trade_id: 20,
          product_id: 'BTC-USD',
          time: T,
        }),
      ),
    ).toMatchObject({ kind: 'heartbeats', counter: 90, lastTradeId: { productId: 'BTC-USD', tradeId: 20 } });
  });

  it('reads subscriptions, errors and other types', () => {
    expect(
      parseExchangeFrame(
        JSON.stringify({ type: 'subscriptions', channels: [{ name: 'matches', product_ids: ['ETH-USD'] }] }),
      ),
    ).toMatchObject({ kind: 'subscriptions', subscriptions: { matches: ['ETH-USD'] } });
    expect(
      parseExchangeFrame(
        JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: 'level2 requires auth' }),
      ),
    ).toEqual({ kind: 'server_error', seq: null, message: 'Failed to subscribe: level2 requires auth' });
    expect(parseExchangeFrame(JSON.stringify({ type: 'ticker', product_id: 'ETH-USD' }))).toEqual({
      kind: 'unknown_channel',
      seq: null,
      channel: 'ticker',
    });
  });

  it.each([
    ['a bad side', match({ side: 'up' }), /"side" must be "buy" or "sell"/],
    ['a string trade id', match({ trade_id: '10' }), /"trade_id" must be a non-negative integer/],
    ['a bad size', match({ size: '5e3' }), /"5e3" is not a plain decimal/],
    [
      'a bad change',
      JSON.stringify({ type: 'l2update', product_id: 'BTC-USD', time: T, changes: [['bid', '1', '1']] }),
      /changes\[0\]/,
    ],
  ])('rejects %s as malformed', (_name, frame, reason) => {
    const parsed = parseExchangeFrame(frame);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.reason).toMatch(reason);
  });
});

describe('exchangeSubscriptionMessages', () => {
  it('puts every channel in one message with the Exchange names', () => {
    expect(
      exchangeSubscriptionMessages('subscribe', ['ETH-USD'], ['market_trades', 'level2', 'heartbeats']),
    ).toEqual([
      { type: 'subscribe', product_ids: ['ETH-USD'], channels: ['matches', 'level2_batch', 'heartbeat'] },
    ]);
  });
});
