/** A local websocket server whose every move the test scripts: what it sends, when it drops. */
import { type WebSocket, WebSocketServer } from 'ws';

export interface ScriptedConnection {
  socket: WebSocket;
  received: Array<Record<string, unknown>>;
  seq: number;
}

export class ScriptedServer {
  readonly connections: ScriptedConnection[] = [];
  readonly #wss: WebSocketServer;
  #waiters: Array<() => void> = [];

  private constructor(wss: WebSocketServer, onConnection?: (c: ScriptedConnection) => void) {
    this.#wss = wss;
    wss.on('connection', (socket) => {
      const connection: ScriptedConnection = { socket, received: [], seq: 0 };
      this.connections.push(connection);
      socket.on('message', (raw) => {
        connection.received.push(JSON.parse(String(raw)));
        this.#wake();
      });
      onConnection?.(connection);
      this.#wake();
    });
  }

  static start(onConnection?: (c: ScriptedConnection) => void): Promise<ScriptedServer> {
    return new Promise((resolve) => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      wss.once('listening', () => resolve(new ScriptedServer(wss, onConnection)));
    });
  }

  get url(): string {
    const address = this.#wss.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `ws://127.0.0.1:${address.port}`;
  }

  /** Resolves when `predicate` holds, re-checking on every connection and message (and every 20 ms). */
  async until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

const TS = '2024-03-12T14:30:00.123456789Z';

export function envelope(c: ScriptedConnection, channel: string, events: unknown[]): string {
  return JSON.stringify({ channel, client_id: '', timestamp: TS, sequence_num: c.seq++, events });
}

export function tradeFrame(
  c: ScriptedConnection,
  product: string,
  id: number,
  price = '100.5',
  size = '0.25',
) {
  return envelope(c, 'market_trades', [
    {
      type: 'update',
      trades: [
        {
          trade_id: String(id),
          product_id: product,
          price,
          size,
          side: 'BUY',
          time: '2024-03-12T14:29:59.5Z',
        },
      ],
    },
  ]);
}

export function heartbeatFrame(c: ScriptedConnection, counter: number) {
  return envelope(c, 'heartbeats', [
    { current_time: '2024-03-12 14:30:00.1 +0000 UTC m=+1.000000001', heartbeat_counter: String(counter) },
  ]);
}

export function ackFrame(c: ScriptedConnection) {
  return envelope(c, 'subscriptions', [{ subscriptions: {} }]);
}
