import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BridgeError, messageOf } from './errors.js';

export interface ConnectOptions {
  /** nats://HOST:PORT, or several separated by commas (a cluster's members). */
  servers: string | readonly string[];
  /** Connect attempts before ERR_BRIDGE_UNREACHABLE (default Infinity: keep trying). */
  connectAttempts?: number;
  /** First back-off between attempts in ms (default 250), doubled up to maxBackoffMs (default 5000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called before each wait, so a CLI can say what it is waiting for. */
  onRetry?: (attempt: number, delayMs: number, error: Error) => void;
  signal?: AbortSignal;
  name?: string;
}

export function serverList(servers: string | readonly string[]): string[] {
  const list = typeof servers === 'string' ? servers.split(',') : [...servers];
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

/** Connects with exponential back-off; once connected the client reconnects by itself, forever. */
export async function connectWithBackoff(options: ConnectOptions): Promise<NatsConnection> {
  const servers = serverList(options.servers);
  const attempts = options.connectAttempts ?? Number.POSITIVE_INFINITY;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  let delay = options.backoffMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({
        servers,
        name: options.name ?? 'deepwater-bridge',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: 2000,
      });
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      if (attempt >= attempts || options.signal?.aborted) {
        throw new BridgeError(
          'ERR_BRIDGE_UNREACHABLE',
          `NATS server ${servers.join(',')} unreachable after ${attempt} attempt(s): ${messageOf(cause)}`,
          { server: servers.join(','), cause },
        );
      }
      options.onRetry?.(attempt, delay, error);
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
      delay = Math.min(delay * 2, maxBackoff);
    }
  }
}

/** Counts reconnects of a connection (for stats) until it closes. */
export function countReconnects(nc: NatsConnection, onReconnect: () => void): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'reconnect') onReconnect();
    }
  })().catch(() => {});
}
