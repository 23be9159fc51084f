/** The replay server as a Coinbase stand-in: acknowledgements, subscription filtering, numbering, pacing. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  CLOSE_END_OF_SESSION,
  CLOSE_RECORDED_DISCONNECT,
  parseReplaySpeed,
  ReplayServer,
} from '../src/record/replay-server.js';
import { readSession } from '../src/record/session-file.js';
import { FIXTURE } from './helpers/fixture-reference.js';

let server: ReplayServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

interface Client {
  messages: Array<Record<string, unknown>>;
  closed: Promise<number>;
  send(message: unknown): void;
}

function connect(url: string): Promise<Client> {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return new Promise((resolve) =>
    socket.on('open', () => resolve({ messages, closed, send: (m) => socket.send(JSON.stringify(m)) })),
  );
}

const frame = (recvUs: number, channel: string, seq: number, events: unknown[]) => ({
  recvUs,
  data: JSON.stringify({
    channel,
    client_id: '',
    timestamp: '2024-03-12T14:30:00Z',
    sequence_num: seq,
    events,
  }),
});

describe('ReplayServer', () => {
  it('sends only the subscribed products and channels, acknowledging each subscribe', async () => {
    server = await ReplayServer.start({ segments: await readSession(FIXTURE), settleMs: 50 });
    const client = await connect(server.url);
    client.send({ type: 'subscribe', channel: 'market_trades', product_ids: ['ETH-USD'] });
    client.send({ type: 'subscribe', channel: 'heartbeats', product_ids: ['ETH-USD'] });
    expect(await client.closed).toBe(CLOSE_RECORDED_DISCONNECT);

    const [ack1, ack2, ...rest] = client.messages;
    expect(ack1).toMatchObject({
      channel: 'subscriptions',
      sequence_num: 0,
      events: [{ subscriptions: { market_trades: ['ETH-USD'] } }],
    });
    expect(ack2).toMatchObject({
      sequence_num: 1,
      events: [{ subscriptions: { market_trades: ['ETH-USD'], heartbeats: ['ETH-USD'] } }],
    });
    expect(new Set(rest.map((m) => m.channel))).toEqual(new Set(['market_trades', 'heartbeats']));
    for (const m of rest.filter((m) => m.channel === 'market_trades')) {
      for (const e of m.events as Array<{ trades: Array<{ product_id: string }> }>) {
        for (const t of e.trades) expect(t.product_id).toBe('ETH-USD');
      }
    }
    const seqs = client.messages.map((m) => m.sequence_num as number);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
  });

  it('numbers what it sends contiguously but reproduces a recorded jump', async () => {
    const trade = (product: string, id: number) => [
      {
        type: 'update',
        trades: [
          {
            trade_id: String(id),
            product_id: product,
            price: '1',
            size: '1',
            side: 'BUY',
            time: '2024-03-12T14:30:00Z',
          },
        ],
      },
    ];
    // Recorded: 0 BTC, 1 ETH, 2 BTC, (3 and 4 never arrived), 5 ETH, 6 BTC.
    const segment = [
      frame(1, 'market_trades', 0, trade('BTC-USD', 10)),
      frame(2, 'market_trades', 1, trade('ETH-USD', 20)),
      frame(3, 'market_trades', 2, trade('BTC-USD', 11)),
      frame(4, 'market_trades', 5, trade('ETH-USD', 21)),
      frame(5, 'market_trades', 6, trade('BTC-USD', 12)),
    ];
    server = await ReplayServer.start({ segments: [segment], settleMs: 20 });
    const client = await connect(server.url);
    client.send({ type: 'subscribe', channel: 'market_trades', product_ids: ['ETH-USD'] });
    expect(await client.closed).toBe(CLOSE_END_OF_SESSION);
    // The ack takes 0; ETH frames follow at 1 and, two lost frames later, 4.
    expect(client.messages.map((m) => [m.channel, m.sequence_num])).toEqual([
      ['subscriptions', 0],
      ['market_trades', 1],
      ['market_trades', 4],
    ]);
  });

  it('answers a bad subscribe with an error message, as Coinbase does', async () => {
    server = await ReplayServer.start({ segments: await readSession(FIXTURE) });
    const client = await connect(server.url);
    client.send({ type: 'subscribe', channel: 'nope', product_ids: ['BTC-USD'] });
    client.send({ type: 'hello' });
    while (client.messages.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(client.messages).toEqual([
      { type: 'error', message: 'unsupported channel "nope"' },
      { type: 'error', message: 'unknown message type "hello"' },
    ]);
  });

  it('serves one recorded connection per client connection and ends the session with its own code', async () => {
    const hb = [{ current_time: '2024-03-12 14:30:00.1 +0000 UTC m=+1.1', heartbeat_counter: '1' }];
    server = await ReplayServer.start({
      segments: [
        [frame(1_000_000, 'heartbeats', 0, hb)],
        [frame(3_000_000, 'heartbeats', 0, hb), frame(3_100_000, 'heartbeats', 1, hb)],
      ],
      speed: 10,
    });
    const first = await connect(server.url);
    first.send({ type: 'subscribe', channel: 'heartbeats' });
    expect(await first.closed).toBe(CLOSE_RECORDED_DISCONNECT);
    const second = await connect(server.url);
    second.send({ type: 'subscribe', channel: 'heartbeats' });
    expect(await second.closed).toBe(CLOSE_END_OF_SESSION);
    expect(first.messages.map((m) => m.channel)).toEqual(['subscriptions', 'heartbeats']);
    expect(second.messages.map((m) => [m.channel, m.sequence_num])).toEqual([
      ['subscriptions', 0],
      ['heartbeats', 1],
      ['heartbeats', 2],
    ]);
    await server.finished;
  });

  it('parses --speed values and names a bad one', () => {
    expect(parseReplaySpeed('max')).toBe('max');
    expect(parseReplaySpeed('recorded')).toBe('recorded');
    expect(parseReplaySpeed('2.5')).toBe(2.5);
    expect(() => parseReplaySpeed('0')).toThrow(/got "0"/);
  });
});
