import { describe, expect, it } from 'vitest';
import { parseAdvancedTradeFrame } from '../../src/coinbase/parse.js';

const envelope = (channel: string, events: unknown[], seq = 7) =>
  JSON.stringify({
    channel,
    client_id: '',
    timestamp: '2023-02-09T20:19:35.39625135Z',
    sequence_num: seq,
    events,
  });
const packetUs = Date.UTC(2023, 1, 9, 20, 19, 35) * 1000 + 396251;

describe('parseAdvancedTradeFrame', () => {
  it('normalises market_trades with scaled prices and sizes', () => {
    const frame = envelope('market_trades', [
      {
        type: 'update',
        trades: [
          {
            trade_id: '1001',
            product_id: 'ETH-USD',
            price: '1260.01',
            size: '0.3',
            side: 'BUY',
            time: '2019-08-14T20:42:27.265Z',
          },
          {
            trade_id: '1000',
            product_id: 'ETH-USD',
            price: '1260',
            size: '1',
            side: 'SELL',
            time: '2019-08-14T20:42:27.1Z',
          },
        ],
      },
    ]);
    const parsed = parseAdvancedTradeFrame(frame);
    expect(parsed).toEqual({
      kind: 'market_trades',
      seq: 7,
      rowSeq: 7,
      packetUs,
      events: [
        {
          type: 'update',
          trades: [
            {
              productId: 'ETH-USD',
              tradeId: 1001,
              tradeIdNumeric: true,
              price: 12600100000000,
              size: 30000000,
              side: 'B',
              exchangeUs: Date.UTC(2019, 7, 14, 20, 42, 27) * 1000 + 265000,
            },
            {
              productId: 'ETH-USD',
              tradeId: 1000,
              tradeIdNumeric: true,
              price: 12600000000000,
              size: 100000000,
              side: 'S',
              exchangeUs: Date.UTC(2019, 7, 14, 20, 42, 27) * 1000 + 100000,
            },
          ],
        },
      ],
    });
  });

  it('reads level2 from channel l2_data, with offer as ask and snapshot times as 0', () => {
    const frame = envelope('l2_data', [
      {
        type: 'snapshot',
        product_id: 'BTC-USD',
        updates: [
          {
            side: 'bid',
            event_time: '1970-01-01T00:00:00Z',
            price_level: '21921.73',
            new_quantity: '0.06317902',
          },
          { side: 'offer', event_time: '1970-01-01T00:00:00Z', price_level: '21921.74', new_quantity: '0' },
        ],
      },
    ]);
    const parsed = parseAdvancedTradeFrame(frame);
    expect(parsed.kind).toBe('l2_data');
    if (parsed.kind !== 'l2_data') return;
    expect(parsed.events[0].productId).toBe('BTC-USD');
    expect(parsed.events[0].type).toBe('snapshot');
    expect(parsed.events[0].levels).toEqual([
      { side: 'b', exchangeUs: 0, price: 219217300000000, quantity: 6317902 },
      { side: 'a', exchangeUs: 0, price: 219217400000000, quantity: 0 },
    ]);
  });

  it('reads heartbeats with a string counter and the Go clock', () => {
    const parsed = parseAdvancedTradeFrame(
      envelope('heartbeats', [
        {
          current_time: '2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105',
          heartbeat_counter: '3049',
        },
      ]),
    );
    expect(parsed).toMatchObject({ kind: 'heartbeats', seq: 7, counter: 3049 });
  });

  it('reads subscription acknowledgements', () => {
    const parsed = parseAdvancedTradeFrame(
      envelope('subscriptions', [{ subscriptions: { level2: ['BTC-USD'] } }], 0),
    );
    expect(parsed).toMatchObject({ kind: 'subscriptions', seq: 0, subscriptions: { level2: ['BTC-USD'] } });
  });

  it('keeps trade ids beyond 2^53 exact and marks non-numeric ids', () => {
    const trade = (id: string) =>
      envelope('market_trades', [
        {
          type: 'update',
          trades: [
            {
              trade_id: id,
              product_id: 'BTC-USD',
              price: '1',
              size: '1',
              side: 'BUY',
              time: '2023-01-01T00:00:00Z',
            },
          ],
        },
      ]);
    const big = parseAdvancedTradeFrame(trade('18446744073709551615'));
    const uuid = parseAdvancedTradeFrame(trade('5a1c5f3e-aaaa'));
    if (big.kind !== 'market_trades' || uuid.kind !== 'market_trades') throw new Error('not parsed');
    expect(big.events[0].trades[0].tradeId).toBe(18446744073709551615n);
    expect(uuid.events[0].trades[0]).toMatchObject({ tradeId: 0, tradeIdNumeric: false });
  });

  it('reports server errors', () => {
    expect(parseAdvancedTradeFrame('{"type":"error","message":"failure to subscribe"}')).toEqual({
      kind: 'server_error',
      seq: null,
      message: 'failure to subscribe',
    });
  });

  it('reports unknown channels with their sequence number', () => {
    expect(parseAdvancedTradeFrame(envelope('ticker', [{}], 12))).toEqual({
      kind: 'unknown_channel',
      seq: 12,
      channel: 'ticker',
    });
  });

  it.each([
    ['truncated JSON', '{"channel":"market_trades","seq', /not JSON/, null],
    ['a JSON array', '[1,2]', /not a JSON object/, null],
    [
      'no sequence_num',
      JSON.stringify({ channel: 'heartbeats', timestamp: '2023-01-01T00:00:00Z', events: [] }),
      /sequence_num/,
      null,
    ],
    [
      'a bad price',
      envelope(
        'market_trades',
        [
          {
            type: 'update',
            trades: [
              {
                trade_id: '1',
                product_id: 'BTC-USD',
                price: '12a',
                size: '1',
                side: 'BUY',
                time: '2023-01-01T00:00:00Z',
              },
            ],
          },
        ],
        3,
      ),
      /trades\[0\]\.price": "12a"/,
      3,
    ],
    [
      'a bad side',
      envelope(
        'l2_data',
        [
          {
            type: 'update',
            product_id: 'BTC-USD',
            updates: [
              { side: 'ask', event_time: '2023-01-01T00:00:00Z', price_level: '1', new_quantity: '1' },
            ],
          },
        ],
        4,
      ),
      /"side" must be "bid" or "offer", got "ask"/,
      4,
    ],
    [
      'a bad product',
      envelope('l2_data', [{ type: 'update', product_id: 'btc usd', updates: [] }], 5),
      /product_id/,
      5,
    ],
    [
      'a bad event type',
      envelope('l2_data', [{ type: 'delta', product_id: 'BTC-USD', updates: [] }], 6),
      /"type" must be "snapshot" or "update"/,
      6,
    ],
  ])('rejects %s as malformed, naming the problem', (_name, frame, reason, seq) => {
    const parsed = parseAdvancedTradeFrame(frame as string);
    expect(parsed.kind).toBe('malformed');
    if (parsed.kind !== 'malformed') return;
    expect(parsed.reason).toMatch(reason as RegExp);
    expect(parsed.seq).toBe(seq);
  });
});
