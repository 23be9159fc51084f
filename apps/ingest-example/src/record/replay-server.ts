/**
 * ReplayServer — serves a recorded session from a local websocket server that speaks the Advanced
 * Trade protocol, so a replay goes through exactly the same socket, parsing and writing path as live.
 *
 * Per connection it behaves as Coinbase does: it answers each subscribe/unsubscribe with a
 * `subscriptions` acknowledgement (recorded acknowledgements are not replayed), sends only the
 * channels and products the client subscribed to, and numbers frames contiguously per connection.
 * A jump in the recorded sequence numbers is reproduced, so a recorded gap is seen as a gap.
 *
 * Each recorded segment (frames between two disconnects) is served to one connection, once the client
 * has subscribed to everything the segment carries (or `settleMs` after its last subscribe). The
 * server then closes that connection with CLOSE_RECORDED_DISCONNECT, or CLOSE_END_OF_SESSION after the
 * last segment. A client that disconnects early forfeits the rest of its segment, as it would live.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { type WebSocket, WebSocketServer } from 'ws';
import { microsToIso } from '../coinbase/timestamps.js';
import { type FrameRoute, routeFrame, withSequence } from './frame-route.js';
import { recvStampFrameBytes, recvStampPayload } from './recv-stamp.js';
import type { RecordedSegment } from './session-file.js';
import { concatFrames, textFrameBytes } from './ws-frame.js';

export const CLOSE_RECORDED_DISCONNECT = 4000;
export const CLOSE_END_OF_SESSION = 4002;

/** 'recorded' keeps the recorded pacing, 'max' sends as fast as the socket drains, a number speeds up. */
export type ReplaySpeed = 'recorded' | 'max' | number;

export function parseReplaySpeed(text: string): ReplaySpeed {
  if (text === 'recorded' || text === 'max') return text;
  const factor = Number(text);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new RangeError(`--speed must be "recorded", "max" or a positive factor, got "${text}"`);
  }
  return factor;
}

export interface ReplayServerOptions {
  segments: RecordedSegment[];
  speed?: ReplaySpeed;
  /**
   * Announce each frame's recorded recv_us (and each recorded disconnect's) in a ping before it, for a
   * client replaying on the recorded clock (see recv-stamp.ts). Off: the frames alone, as before.
   */
  stampRecvUs?: boolean;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Start a segment this long after the client's last subscribe even if it did not subscribe to all of it. */
  settleMs?: number;
  log?: (message: string) => void;
}

interface PreparedFrame extends FrameRoute {
  recvUs: number;
  /** The ping announcing recvUs, framed, when the server stamps times. */
  stampWire: Buffer | null;
  data: string;
  /** The frame's UTF-8 bytes, encoded once: sent as is whenever its sequence number is unchanged. */
  bytes: Buffer;
  /** The same bytes framed as a websocket text message, for batched writes at --speed max. */
  wire: Buffer;
}

/** Frames copied into one socket write at --speed max: framing each one through ws cost more than ingesting it. */
const WRITE_BATCH = 64;

interface RawSocket {
  readonly destroyed: boolean;
  write(data: Buffer): boolean;
  once(event: 'drain' | 'close', listener: () => void): void;
  off(event: 'drain' | 'close', listener: () => void): void;
}

/**
 * Resolves when the socket has written its buffer out (or closed). Waiting on 'drain' rather than
 * polling bufferedAmount every turn of the loop leaves the core to the ingester meanwhile.
 */
function drained(raw: RawSocket): Promise<void> {
  // A socket already closed emits neither event again: ws reports the close on its next turn.
  if (raw.destroyed) return yieldToIo();
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}

/**
 * The TCP socket under a ws connection. ws keeps it private; it is used only to write batches of
 * pre-framed messages at full speed (the server negotiates no extension, so frames are plain), and
 * everything works (ws frames each message) if it is ever missing.
 */
function rawSocketOf(socket: WebSocket): RawSocket | undefined {
  const raw = (socket as unknown as { _socket?: { write?: unknown; once?: unknown; off?: unknown } })._socket;
  return typeof raw?.write === 'function' && typeof raw.once === 'function' && typeof raw.off === 'function'
    ? (raw as RawSocket)
    : undefined;
}

// The subscribe channel each data channel answers to.
const SUBSCRIPTION_OF: Record<string, string> = {
  market_trades: 'market_trades',
  l2_data: 'level2',
  heartbeats: 'heartbeats',
};
const SUBSCRIBABLE = new Set(['market_trades', 'level2', 'heartbeats']);
const HIGH_WATER_BYTES = 1 << 20;

function required(segment: PreparedFrame[]): Set<string> {
  const keys = new Set<string>();
  for (const frame of segment) {
    const sub = frame.channel === null ? undefined : SUBSCRIPTION_OF[frame.channel];
    if (sub === 'heartbeats') keys.add('heartbeats');
    else if (sub !== undefined) for (const p of frame.products) keys.add(`${sub}:${p}`);
  }
  return keys;
}

export class ReplayServer {
  readonly #wss: WebSocketServer;
  readonly #segments: PreparedFrame[][];
  /** When the recording saw each segment's connection drop. */
  readonly #endUs: (number | undefined)[];
  readonly #stampRecvUs: boolean;
  readonly #required: Set<string>[];
  readonly #speed: ReplaySpeed;
  readonly #settleMs: number;
  readonly #log: (message: string) => void;
  #nextSegment = 0;
  #framesSent = 0;
  #resolveFinished!: () => void;
  /** Resolves once every segment has been served (or forfeited). */
  readonly finished: Promise<void>;
  /** Every product the session carries, in first-seen order. */
  readonly products: string[];

  private constructor(wss: WebSocketServer, options: ReplayServerOptions) {
    this.#wss = wss;
    this.#stampRecvUs = options.stampRecvUs ?? false;
    this.#segments = options.segments.map((segment) =>
      segment.map((frame) => {
        const bytes = Buffer.from(frame.data);
        const stampWire = this.#stampRecvUs ? recvStampFrameBytes(frame.recvUs) : null;
        return { ...frame, ...routeFrame(frame.data), bytes, wire: textFrameBytes(bytes), stampWire };
      }),
    );
    this.#endUs = options.segments.map((segment) => segment.endUs);
    this.#required = this.#segments.map(required);
    this.#speed = options.speed ?? 'max';
    this.#settleMs = options.settleMs ?? 1000;
    this.#log = options.log ?? (() => {});
    this.products = [...new Set(this.#segments.flat().flatMap((f) => f.products))];
    this.finished = new Promise((resolve) => {
      this.#resolveFinished = resolve;
    });
    if (this.#segments.length === 0) this.#resolveFinished();
    wss.on('connection', (socket) => this.#serve(socket));
  }

  static start(options: ReplayServerOptions): Promise<ReplayServer> {
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
      wss.once('error', reject);
      wss.once('listening', () => resolve(new ReplayServer(wss, options)));
    });
  }

  get url(): string {
    const address = this.#wss.address();
    if (address === null || typeof address === 'string') throw new Error('replay server is not listening');
    return `ws://${address.address}:${address.port}`;
  }

  get framesSent(): number {
    return this.#framesSent;
  }

  get segmentsServed(): number {
    return this.#nextSegment;
  }

  close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }

  #serve(socket: WebSocket): void {
    const subscriptions = new Map<string, Set<string>>();
    let nextSeq = 0;
    let started = false;
    let settleTimer: NodeJS.Timeout | undefined;
    let closed = false;
    socket.on('close', () => {
      closed = true;
      clearTimeout(settleTimer);
    });
    socket.on('error', (error) => this.#log(`replay: socket error: ${error.message}`));

    const send = (payload: string | Buffer) => {
      socket.send(payload, { binary: false });
      this.#framesSent++;
    };
    let stampedUs = -1;
    const stamp = (recvUs: number | undefined) => {
      if (!this.#stampRecvUs || recvUs === undefined || recvUs === stampedUs) return;
      stampedUs = recvUs;
      socket.ping(recvStampPayload(recvUs));
    };
    // Until its segment starts, what the client receives (acknowledgements) is dated to the segment's start.
    const upcoming = this.#segments[this.#nextSegment] ?? this.#segments.at(-1);
    stamp(upcoming?.[0]?.recvUs);
    const subscribed = (channel: string, product: string | null) => {
      const products = subscriptions.get(channel);
      return products !== undefined && (product === null || products.has(product));
    };

    const start = () => {
      if (started || closed) return;
      started = true;
      clearTimeout(settleTimer);
      const index = this.#nextSegment++;
      if (index >= this.#segments.length) {
        socket.close(CLOSE_END_OF_SESSION, 'replay: end of session');
        return;
      }
      this.#log(`replay: serving segment ${index + 1}/${this.#segments.length}`);
      void stream(index, this.#segments[index], index === this.#segments.length - 1);
    };

    const stream = async (index: number, frames: PreparedFrame[], last: boolean) => {
      const factor = typeof this.#speed === 'number' ? this.#speed : 1;
      const startMs = performance.now();
      const firstUs = frames[0].recvUs;
      let lastRecordedSeq: number | null = null;
      const raw = this.#speed === 'max' ? rawSocketOf(socket) : undefined;
      const batch: Buffer[] = [];
      let batched = 0;
      const flush = () => {
        // After a close frame (either side's) nothing more may be sent: the client forfeits the rest.
        if (batched > 0 && socket.readyState === socket.OPEN) raw?.write(concatFrames(batch, batched));
        batched = 0;
      };
      for (const frame of frames) {
        if (closed) break;
        if (this.#speed === 'max') {
          if (batched >= WRITE_BATCH || socket.bufferedAmount > HIGH_WATER_BYTES) flush();
          while (socket.bufferedAmount > HIGH_WATER_BYTES && !closed)
            await (raw ? drained(raw) : yieldToIo());
        } else {
          const waitMs = startMs + (frame.recvUs - firstUs) / 1000 / factor - performance.now();
          if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
          else if (socket.bufferedAmount > HIGH_WATER_BYTES) await yieldToIo();
        }
        if (closed) break;
        if (frame.seq !== null) {
          // Reproduce a recorded jump, whatever was filtered out around it.
          if (lastRecordedSeq !== null && frame.seq > lastRecordedSeq + 1)
            nextSeq += frame.seq - lastRecordedSeq - 1;
          lastRecordedSeq = frame.seq;
        }
        const sub = frame.channel === null ? undefined : SUBSCRIPTION_OF[frame.channel];
        if (frame.channel === 'subscriptions') continue;
        if (sub === 'heartbeats' && !subscribed('heartbeats', null)) continue;
        if (sub !== undefined && sub !== 'heartbeats' && !frame.products.some((p) => subscribed(sub, p)))
          continue;
        const seq = frame.seqSpan === null ? null : nextSeq++;
        if (seq === null || seq === frame.seq) {
          if (raw === undefined) {
            stamp(frame.recvUs);
            send(frame.bytes);
          } else {
            if (frame.stampWire !== null && frame.recvUs !== stampedUs) {
              stampedUs = frame.recvUs;
              batch[batched++] = frame.stampWire;
            }
            batch[batched++] = frame.wire;
            this.#framesSent++;
          }
        } else {
          flush(); // keep the order: the renumbered frame goes through ws
          stamp(frame.recvUs);
          send(withSequence(frame.data, frame.seqSpan!, seq));
        }
      }
      flush();
      if (!closed && !last && socket.readyState === socket.OPEN) stamp(this.#endUs[index]);
      if (!closed) {
        socket.close(
          last ? CLOSE_END_OF_SESSION : CLOSE_RECORDED_DISCONNECT,
          last ? 'replay: end of session' : 'replay: recorded disconnect',
        );
      }
      if (last || this.#nextSegment >= this.#segments.length) this.#resolveFinished();
    };

    socket.on('message', (raw) => {
      const reply = this.#handleRequest(String(raw), subscriptions);
      if ('error' in reply) {
        send(JSON.stringify({ type: 'error', message: reply.error }));
        return;
      }
      send(this.#acknowledgement(subscriptions, nextSeq++));
      const requirement = this.#required[this.#nextSegment];
      const covered =
        requirement !== undefined &&
        [...requirement].every((key) => {
          const [channel, product] = key.split(':');
          return subscribed(channel, product ?? null);
        });
      if (covered || requirement === undefined) start();
      else if (!started) {
        clearTimeout(settleTimer);
        settleTimer = setTimeout(start, this.#settleMs);
      }
    });
  }

  #handleRequest(text: string, subscriptions: Map<string, Set<string>>): { ok: true } | { error: string } {
    let request: { type?: unknown; channel?: unknown; product_ids?: unknown };
    try {
      request = JSON.parse(text);
    } catch {
      return { error: 'failure to parse message: not JSON' };
    }
    if (request.type !== 'subscribe' && request.type !== 'unsubscribe') {
      return { error: `unknown message type ${JSON.stringify(request.type)}` };
    }
    const channel = request.channel === 'l2_data' ? 'level2' : request.channel;
    if (typeof channel !== 'string' || !SUBSCRIBABLE.has(channel)) {
      return { error: `unsupported channel ${JSON.stringify(request.channel)}` };
    }
    const products = request.product_ids ?? [];
    if (!Array.isArray(products) || !products.every((p) => typeof p === 'string')) {
      return { error: 'product_ids must be an array of strings' };
    }
    const set = subscriptions.get(channel) ?? new Set<string>();
    for (const p of products) {
      if (request.type === 'subscribe') set.add(p);
      else set.delete(p);
    }
    if (request.type === 'subscribe' || set.size > 0) subscriptions.set(channel, set);
    else subscriptions.delete(channel);
    return { ok: true };
  }

  #acknowledgement(subscriptions: Map<string, Set<string>>, seq: number): string {
    const nowUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    return JSON.stringify({
      channel: 'subscriptions',
      client_id: '',
      timestamp: microsToIso(nowUs),
      sequence_num: seq,
      events: [{ subscriptions: Object.fromEntries([...subscriptions].map(([c, p]) => [c, [...p]])) }],
    });
  }
}
