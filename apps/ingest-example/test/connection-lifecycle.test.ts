/**
 * Reconnects, staleness, bad frames and subscription changes against a scripted local server.
 * Timeouts are short so the tests are quick; no test asserts how long anything took.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySink } from '../src/feeds/memory-sink.js';
import { EventKind } from '../src/feeds/schemas.js';
import { BadFrameLog } from '../src/record/bad-frames.js';
import { SessionRecorder } from '../src/record/recorder.js';
import { parseSession } from '../src/record/session-file.js';
import { Ingester, type IngesterOptions } from '../src/session/ingester.js';
import { ackFrame, envelope, heartbeatFrame, ScriptedServer, tradeFrame } from './helpers/scripted-server.js';

let server: ScriptedServer;
let ingester: Ingester | null;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dw-test-ingest-'));
  ingester = null;
});

afterEach(async () => {
  await ingester?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function ingest(sink: MemorySink, options: Partial<IngesterOptions> = {}): Ingester {
  ingester = new Ingester({
    url: server.url,
    products: ['BTC-USD', 'ETH-USD'],
    sink,
    backoffInitialMs: 20,
    backoffMaxMs: 100,
    messageTimeoutMs: 0,
    heartbeatTimeoutMs: 0,
    ...options,
  });
  ingester.start();
  return ingester;
}

const subscribesOn = (i: number) =>
  server.connections[i]?.received
    .filter((m) => m.type === 'subscribe')
    .map((m) => [m.channel, m.product_ids]) ?? [];
const eventKinds = (sink: MemorySink, product: string) => sink.rows(`CB-EVENTS-${product}`).map((e) => e[4]);

describe('the ingester against a local server', () => {
  it('subscribes one channel per message, heartbeats included', async () => {
    server = await ScriptedServer.start();
    ingest(new MemorySink());
    await server.until(() => subscribesOn(0).length === 3, 'three subscribes');
    expect(subscribesOn(0)).toEqual([
      ['market_trades', ['BTC-USD', 'ETH-USD']],
      ['level2', ['BTC-USD', 'ETH-USD']],
      ['heartbeats', ['BTC-USD', 'ETH-USD']],
    ]);
  });

  it('reconnects and resubscribes every product after the server drops the connection', async () => {
    server = await ScriptedServer.start((c) => {
      if (server.connections.length === 1) {
        c.socket.on('message', () => {
          if (c.received.length === 3) {
            c.socket.send(tradeFrame(c, 'BTC-USD', 1));
            c.socket.terminate();
          }
        });
      }
    });
    const sink = new MemorySink();
    ingest(sink);
    await server.until(() => subscribesOn(1).length === 3, 'resubscribe on a second connection');
    expect(subscribesOn(1)).toEqual(subscribesOn(0));
    await server.until(() => eventKinds(sink, 'ETH-USD').includes(EventKind.RECONNECT), 'a reconnect event');
    for (const product of ['BTC-USD', 'ETH-USD']) {
      expect(eventKinds(sink, product)).toEqual([EventKind.DISCONNECT, EventKind.RECONNECT]);
    }
    expect(sink.rows('CB-TRADES-BTC-USD')).toHaveLength(1);
    expect(ingester!.metrics.reconnects).toBe(1);
  });

  it('drops a silent connection after the message timeout and reconnects', async () => {
    server = await ScriptedServer.start((c) => c.socket.send(ackFrame(c)));
    const sink = new MemorySink();
    ingest(sink, { messageTimeoutMs: 150 });
    await server.until(() => server.connections.length >= 2, 'a second connection');
    await server.until(() => eventKinds(sink, 'BTC-USD').includes(EventKind.RECONNECT), 'a reconnect event');
    const stale = sink.rows('CB-EVENTS-BTC-USD').find((e) => e[4] === EventKind.STALE)!;
    expect(stale[2]).toBe(150);
    expect(stale[1] as number).toBeGreaterThan(150);
    expect(ingester!.metrics.staleReconnects).toBeGreaterThanOrEqual(1);
  });

  it('drops a connection whose heartbeats stop even while other frames flow', async () => {
    server = await ScriptedServer.start((c) => {
      let id = 100;
      const timer = setInterval(
        () => c.socket.readyState === 1 && c.socket.send(tradeFrame(c, 'BTC-USD', id++)),
        20,
      );
      c.socket.on('close', () => clearInterval(timer));
    });
    const sink = new MemorySink();
    ingest(sink, { heartbeatTimeoutMs: 200 });
    await server.until(() => server.connections.length >= 2, 'a second connection');
    await server.until(() => eventKinds(sink, 'BTC-USD').includes(EventKind.STALE), 'a stale event');
    const stale = sink.rows('CB-EVENTS-BTC-USD').find((e) => e[4] === EventKind.STALE)!;
    expect(stale[2]).toBe(200);
  });

  it('keeps a connection whose heartbeats keep coming', async () => {
    let timer: NodeJS.Timeout | undefined;
    server = await ScriptedServer.start((c) => {
      let n = 0;
      timer = setInterval(() => c.socket.readyState === 1 && c.socket.send(heartbeatFrame(c, n++)), 20);
    });
    // Timeouts far above the 20 ms heartbeat period, so only a broken watchdog reconnects here.
    ingest(new MemorySink(), { heartbeatTimeoutMs: 2000, messageTimeoutMs: 3000 });
    await server.until(() => server.connections.length === 1, 'a connection');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    clearInterval(timer);
    expect(server.connections).toHaveLength(1);
    expect(ingester!.metrics.staleReconnects).toBe(0);
  });

  it('reconnects on a sequence gap and records it', async () => {
    server = await ScriptedServer.start((c) => {
      if (server.connections.length > 1) return;
      c.socket.send(tradeFrame(c, 'BTC-USD', 1));
      c.seq += 5;
      c.socket.send(tradeFrame(c, 'BTC-USD', 2));
    });
    const sink = new MemorySink();
    ingest(sink);
    await server.until(() => server.connections.length === 2, 'a second connection');
    await server.until(() => eventKinds(sink, 'BTC-USD').includes(EventKind.RECONNECT), 'a reconnect event');
    const gap = sink.rows('CB-EVENTS-BTC-USD').find((e) => e[4] === EventKind.SEQUENCE_GAP)!;
    expect([gap[1], gap[2]]).toEqual([1, 5]);
    // Both frames are valid data and are kept.
    expect(sink.rows('CB-TRADES-BTC-USD').map((r) => r[3])).toEqual([1, 2]);
  });

  it('keeps bad frames in the bad-frames file, stores nothing from them and carries on', async () => {
    const badPath = join(dir, 'bad.jsonl');
    const notUtf8 = Buffer.from([0xc3, 0x28, 0xff]);
    const bad = [
      '{"channel":"market_trades","sequence_num":',
      JSON.stringify({ type: 'error', message: 'rate limit exceeded' }),
    ];
    server = await ScriptedServer.start((c) => {
      c.socket.send(bad[0]);
      c.socket.send(bad[1]);
      // Not UTF-8: the socket does not check text frames, the ingester does before decoding.
      c.socket.send(Buffer.concat([Buffer.from('{"channel":"l2_data","x":"'), notUtf8, Buffer.from('"}')]), {
        binary: false,
      });
      c.socket.send(envelope(c, 'ticker', [{ tickers: [] }]));
      // One good trade and one with a broken price in the same frame: neither may be stored.
      c.socket.send(
        envelope(c, 'market_trades', [
          {
            type: 'update',
            trades: [
              {
                trade_id: '7',
                product_id: 'BTC-USD',
                price: '1.5',
                size: '1',
                side: 'BUY',
                time: '2024-03-12T14:29:59Z',
              },
              {
                trade_id: '8',
                product_id: 'BTC-USD',
                price: '1,5',
                size: '1',
                side: 'BUY',
                time: '2024-03-12T14:29:59Z',
              },
            ],
          },
        ]),
      );
      c.socket.send(tradeFrame(c, 'BTC-USD', 9));
    });
    const sink = new MemorySink();
    const badFrames = new BadFrameLog(badPath);
    ingest(sink, { badFrames });
    await server.until(() => sink.rows('CB-TRADES-BTC-USD').length === 1, 'the good trade');
    await ingester!.stop();
    await badFrames.close();
    expect(sink.rows('CB-TRADES-BTC-USD').map((r) => r[3])).toEqual([9]);
    const kept = readFileSync(badPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(kept.map((k) => k.reason)).toEqual([
      expect.stringMatching(/^malformed: not JSON/),
      'server error: rate limit exceeded',
      'malformed: not valid UTF-8',
      'unknown channel "ticker"',
      expect.stringMatching(/^malformed: .*trades\[1\]\.price": "1,5" is not a plain decimal/),
    ]);
    expect(kept[0].data).toBe(bad[0]);
    const m = ingester!.metrics.snapshot();
    expect([m.badFrames, m.serverErrors, m.sequenceGaps]).toEqual([5, 1, 0]);
  });

  it('unsubscribes, closes the product writers and ignores its frames still in flight', async () => {
    server = await ScriptedServer.start();
    const sink = new MemorySink();
    const i = ingest(sink);
    await server.until(() => subscribesOn(0).length === 3, 'subscribes');
    expect(i.unsubscribe(['ETH-USD'])).toEqual(['ETH-USD']);
    await server.until(() => server.connections[0].received.length === 6, 'unsubscribes');
    expect(server.connections[0].received.slice(3).map((m) => [m.type, m.channel, m.product_ids])).toEqual([
      ['unsubscribe', 'market_trades', ['ETH-USD']],
      ['unsubscribe', 'level2', ['ETH-USD']],
      ['unsubscribe', 'heartbeats', ['ETH-USD']],
    ]);
    expect([...sink.openProducts]).toEqual(['BTC-USD']);
    expect(eventKinds(sink, 'ETH-USD')).toEqual([EventKind.UNSUBSCRIBED]);
    const c = server.connections[0];
    c.socket.send(tradeFrame(c, 'ETH-USD', 1));
    c.socket.send(tradeFrame(c, 'BTC-USD', 2));
    await server.until(() => sink.rows('CB-TRADES-BTC-USD').length === 1, 'the BTC trade');
    expect(sink.rows('CB-TRADES-ETH-USD')).toHaveLength(0);
    expect(ingester!.metrics.writeErrors).toBe(0);
  });

  it('subscribes a new product on the open connection', async () => {
    server = await ScriptedServer.start();
    const sink = new MemorySink();
    const i = ingest(sink);
    await server.until(() => subscribesOn(0).length === 3, 'subscribes');
    expect(i.subscribe(['SOL-USD', 'BTC-USD'])).toEqual(['SOL-USD']);
    await server.until(() => subscribesOn(0).length === 6, 'the new subscribes');
    expect(subscribesOn(0).slice(3)).toEqual([
      ['market_trades', ['SOL-USD']],
      ['level2', ['SOL-USD']],
      ['heartbeats', ['SOL-USD']],
    ]);
    expect(eventKinds(sink, 'SOL-USD')).toEqual([EventKind.SUBSCRIBED]);
  });

  it('subscribes the products it can and names the ones whose feeds it cannot open', async () => {
    server = await ScriptedServer.start();
    const sink = new MemorySink();
    const openProduct = sink.openProduct.bind(sink);
    sink.openProduct = (product: string) => {
      if (product === 'DOGE-USD') throw new Error('Feed "CB-TRADES-DOGE-USD" is locked by pid 4242');
      return openProduct(product);
    };
    const i = ingest(sink);
    await server.until(() => subscribesOn(0).length === 3, 'subscribes');
    expect(() => i.subscribe(['DOGE-USD', 'SOL-USD'])).toThrow(
      /could not subscribe DOGE-USD: .*locked by pid 4242/,
    );
    await server.until(() => subscribesOn(0).length === 6, 'the SOL subscribes');
    expect(
      subscribesOn(0)
        .slice(3)
        .map(([, products]) => products),
    ).toEqual([['SOL-USD'], ['SOL-USD'], ['SOL-USD']]);
    expect(i.products).toEqual(['BTC-USD', 'ETH-USD', 'SOL-USD']);
  });

  it('keeps retrying with back-off while nothing listens, without crashing', async () => {
    server = await ScriptedServer.start();
    const url = server.url;
    await server.close();
    const sink = new MemorySink();
    ingester = new Ingester({ url, products: ['BTC-USD'], sink, backoffInitialMs: 10, backoffMaxMs: 40 });
    ingester.start();
    const deadline = Date.now() + 10_000;
    while (ingester.metrics.reconnects < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(ingester.metrics.reconnects).toBeGreaterThanOrEqual(3);
    expect(ingester.status().state).not.toBe('stopped');
    expect(sink.rows('CB-EVENTS-BTC-USD')).toEqual([]);
  });

  it('records the live session so that a replay sees the same frames and the drop', async () => {
    const recordPath = join(dir, 'rec.jsonl');
    const sent: string[] = [];
    server = await ScriptedServer.start((c) => {
      if (server.connections.length > 1) return;
      for (let id = 1; id <= 3; id++) {
        const frame = tradeFrame(c, 'BTC-USD', id);
        sent.push(frame);
        c.socket.send(frame);
      }
      setTimeout(() => c.socket.terminate(), 50);
    });
    const recorder = new SessionRecorder(recordPath);
    const sink = new MemorySink();
    ingest(sink, { recorder });
    await server.until(() => server.connections.length === 2, 'a reconnect');
    await ingester!.stop();
    await recorder.close();
    const segments = parseSession(readFileSync(recordPath, 'utf8'), recordPath);
    expect(segments[0].map((f) => f.data)).toEqual(sent);
    expect(readFileSync(recordPath, 'utf8')).toMatch(/"event":"disconnect"/);
    const times = segments.flat().map((f) => f.recvUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
