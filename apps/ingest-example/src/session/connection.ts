/**
 * ReconnectingSocket — one websocket that stays up: it reconnects with exponential back-off after any
 * drop, resets the back-off once a connection has proved healthy, and drops a connection that has gone
 * silent (no frame for messageTimeoutMs, or no heartbeat for heartbeatTimeoutMs). It knows nothing
 * about Coinbase: the owner subscribes in onOpen and reads frames in onFrame.
 */
import { WebSocket } from 'ws';
import type { Backoff } from './backoff.js';

/** RFC 6455: the connection closed without a close frame (what terminate() does). */
export const CLOSE_ABNORMAL = 1006;

export type CloseCause = 'server' | 'client' | 'stale' | 'error' | 'stopped' | 'ended';

export interface CloseInfo {
  connection: number;
  code: number;
  reason: string;
  cause: CloseCause;
  /** What the owner passed to reconnect(), or the staleness detail. */
  detail: string;
  framesReceived: number;
  /** 0 when the connection never opened. */
  openForMs: number;
  /** For cause 'stale': ms since the last frame (or heartbeat) and the timeout that fired. */
  silentMs?: number;
  timeoutMs?: number;
}

export interface ConnectionHandlers {
  onOpen(connection: number, attempt: number, waitedMs: number): void;
  /**
   * One message's bytes as received (text or binary), not decoded: the owner decodes once, and only
   * what it needs. UTF-8 is not validated by the socket; the owner validates what it decodes.
   */
  onFrame(data: Buffer, connection: number): void;
  onClose(info: CloseInfo): void;
  /** A ping's payload, in order with the frames (the replay server announces recorded times this way). */
  onPing?(payload: Buffer): void;
  /** `reason`: why the last attempt or connection ended (e.g. "getaddrinfo ENOTFOUND …"). */
  onReconnectScheduled?(attempt: number, delayMs: number, reason: string): void;
}

export interface ConnectionOptions {
  url: string;
  backoff: Backoff;
  /** A connection open this long that received frames resets the back-off (default 10 s). */
  healthyAfterMs?: number;
  /** Drop the connection after this long without any frame (0 disables). */
  messageTimeoutMs: number;
  /** Drop the connection after this long without markHeartbeat() (0 disables). */
  heartbeatTimeoutMs: number;
  connectTimeoutMs?: number;
  /** Close codes that mean "no more data, do not reconnect" (the replay server's end of session). */
  endCodes?: readonly number[];
  /** Answer pings (default true); a replay client on the recorded clock spares the server the pongs. */
  autoPong?: boolean;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

export class ReconnectingSocket {
  readonly #options: ConnectionOptions;
  readonly #handlers: ConnectionHandlers;
  #socket: WebSocket | null = null;
  #state: ConnectionState = 'idle';
  #connection = 0;
  #openedAt = 0;
  #lastFrameAt = 0;
  #lastHeartbeatAt = 0;
  #frames = 0;
  #pendingCause: { cause: CloseCause; detail: string; silentMs?: number; timeoutMs?: number } | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastDelayMs = 0;
  #attempt = 0;
  #stopped: Promise<void> | null = null;
  #resolveStopped: (() => void) | null = null;

  constructor(options: ConnectionOptions, handlers: ConnectionHandlers) {
    this.#options = options;
    this.#handlers = handlers;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Connections opened so far (1 = the first). */
  get connection(): number {
    return this.#connection;
  }

  get url(): string {
    return this.#options.url;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#connect();
  }

  send(message: unknown): boolean {
    if (this.#socket === null || this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** The owner saw a heartbeat: the connection is alive end to end. */
  markHeartbeat(): void {
    this.#lastHeartbeatAt = performance.now();
  }

  /** Drops the current connection (e.g. after a sequence gap) and reconnects at once. */
  reconnect(detail: string): void {
    if (this.#socket === null || this.#state !== 'open') return;
    this.#pendingCause = { cause: 'client', detail };
    this.#socket.terminate();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void> {
    if (this.#stopped) return this.#stopped;
    clearTimeout(this.#retryTimer);
    this.#stopped = new Promise((resolve) => {
      this.#resolveStopped = resolve;
    });
    const socket = this.#socket;
    this.#state = 'stopped';
    if (socket === null || socket.readyState === WebSocket.CLOSED) this.#resolveStopped?.();
    else {
      this.#pendingCause = { cause: 'stopped', detail: 'stop requested' };
      socket.close(1000, 'client stopping');
      // A server that never answers the close handshake must not hold the process open.
      setTimeout(() => socket.terminate(), 1000).unref();
    }
    return this.#stopped;
  }

  #connect(): void {
    this.#state = 'connecting';
    this.#frames = 0;
    this.#openedAt = 0;
    this.#pendingCause = null;
    const socket = new WebSocket(this.#options.url, {
      perMessageDeflate: false,
      // The frame parsers accept ASCII only on their fast path and check UTF-8 before decoding
      // otherwise: validating every frame here as well was a visible share of the receive cost.
      skipUTF8Validation: true,
      handshakeTimeout: this.#options.connectTimeoutMs ?? 10_000,
      autoPong: this.#options.autoPong ?? true,
    });
    this.#socket = socket;
    socket.on('open', () => {
      if (this.#state === 'stopped') {
        socket.close(1000, 'client stopping');
        return;
      }
      this.#state = 'open';
      this.#connection++;
      this.#openedAt = performance.now();
      this.#lastFrameAt = this.#openedAt;
      this.#lastHeartbeatAt = this.#openedAt;
      this.#startWatchdog();
      this.#handlers.onOpen(this.#connection, this.#attempt, this.#lastDelayMs);
    });
    socket.on('message', (data: Buffer) => {
      if (this.#socket !== socket || this.#pendingCause !== null) return; // dropped on purpose: ignore the tail
      this.#frames++;
      this.#lastFrameAt = performance.now();
      this.#handlers.onFrame(data, this.#connection);
    });
    const onPing = this.#handlers.onPing;
    if (onPing !== undefined) {
      socket.on('ping', (data: Buffer) => {
        if (this.#socket !== socket || this.#pendingCause !== null) return; // as for frames: ignore the tail
        onPing(data);
      });
    }
    socket.on('error', (error) => {
      if (this.#pendingCause === null) this.#pendingCause = { cause: 'error', detail: error.message };
    });
    socket.on('close', (code, reason) => this.#closed(socket, code, reason.toString()));
  }

  #closed(socket: WebSocket, code: number, reason: string): void {
    if (this.#socket !== socket) return;
    clearInterval(this.#watchdog);
    const openForMs = this.#openedAt === 0 ? 0 : performance.now() - this.#openedAt;
    let pending = this.#pendingCause ?? { cause: 'server' as const, detail: reason };
    // A connection this side dropped (terminate: no close handshake) ends with 1006, even when the
    // server's own close frame happened to be in the bytes already received: which one is reported
    // must not depend on how TCP split the stream, or two replays of one session would differ.
    if (pending.cause === 'client' || pending.cause === 'stale') code = CLOSE_ABNORMAL;
    if (pending.cause === 'server' && this.#options.endCodes?.includes(code)) {
      pending = { cause: 'ended', detail: reason };
      this.#state = 'stopped';
    }
    this.#socket = null;
    if (this.#openedAt !== 0) {
      this.#handlers.onClose({
        connection: this.#connection,
        code,
        reason,
        ...pending,
        framesReceived: this.#frames,
        openForMs,
      });
    }
    if (this.#state === 'stopped') {
      this.#resolveStopped?.();
      return;
    }
    const healthy = openForMs >= (this.#options.healthyAfterMs ?? 10_000) && this.#frames > 0;
    if (healthy) this.#options.backoff.reset();
    // A deliberate drop (sequence gap) reconnects at once: the data is needed now.
    const delayMs = pending.cause === 'client' ? 0 : this.#options.backoff.nextDelayMs();
    this.#attempt++;
    this.#lastDelayMs = delayMs;
    this.#state = 'waiting';
    this.#handlers.onReconnectScheduled?.(this.#attempt, delayMs, pending.detail || `close code ${code}`);
    this.#retryTimer = setTimeout(() => this.#connect(), delayMs);
  }

  #startWatchdog(): void {
    const { messageTimeoutMs, heartbeatTimeoutMs } = this.#options;
    const timeouts = [messageTimeoutMs, heartbeatTimeoutMs].filter((t) => t > 0);
    if (timeouts.length === 0) return;
    const period = Math.max(5, Math.min(...timeouts) / 4);
    this.#watchdog = setInterval(() => {
      const now = performance.now();
      const silent = now - this.#lastFrameAt;
      const noHeartbeat = now - this.#lastHeartbeatAt;
      let stale: { detail: string; silentMs: number; timeoutMs: number } | null = null;
      if (messageTimeoutMs > 0 && silent > messageTimeoutMs) {
        stale = {
          detail: `no frame for ${Math.round(silent)} ms`,
          silentMs: silent,
          timeoutMs: messageTimeoutMs,
        };
      } else if (heartbeatTimeoutMs > 0 && noHeartbeat > heartbeatTimeoutMs) {
        stale = {
          detail: `no heartbeat for ${Math.round(noHeartbeat)} ms`,
          silentMs: noHeartbeat,
          timeoutMs: heartbeatTimeoutMs,
        };
      }
      if (stale !== null && this.#socket !== null && this.#pendingCause === null) {
        clearInterval(this.#watchdog);
        this.#pendingCause = { cause: 'stale', ...stale };
        this.#socket.terminate();
      }
    }, period);
  }
}
