import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { onCleanup } from '../core/cleanup.js';

/** A redis-server this run started on a free loopback port; `stop()` is idempotent. */
export interface RedisServer {
  port: number;
  version: string;
  stop(): Promise<void>;
}

const CANDIDATES = [
  'redis-server',
  '/usr/bin/redis-server',
  '/usr/sbin/redis-server',
  '/usr/local/bin/redis-server',
];

/**
 * Finds redis-server, installing it with a non-interactive `apt-get install -y redis-server` when
 * missing and this process is root. Throws a message meant for the table when it cannot be had.
 */
export function findRedisServer(log: (message: string) => void): string {
  const found = probe();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'redis-server not found and not root, so not installing it (apt-get install redis-server)',
    );
  }
  log('redis-server not found: apt-get install -y redis-server');
  let install = aptInstall();
  if (install.status !== 0 && /Unable to locate package|has no installation candidate/.test(install.output)) {
    log('apt package lists are empty or stale: apt-get update, then install again');
    spawnSync('apt-get', ['update'], { encoding: 'utf8', env: aptEnv() });
    install = aptInstall();
  }
  const installed = probe();
  if (installed) return installed;
  const tail = install.output.trim().split('\n').slice(-2).join(' ');
  throw new Error(
    `redis-server not found and apt-get install failed (${install.error ?? `exit ${install.status}`}): ${tail}`,
  );
}

function probe(): string | undefined {
  for (const candidate of CANDIDATES) {
    const result = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (result.status === 0) return candidate;
  }
  return undefined;
}

function aptEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
}

function aptInstall(): { status: number | null; output: string; error?: string } {
  const result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
    encoding: 'utf8',
    env: aptEnv(),
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    error: result.error?.message,
  };
}

export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/**
 * Starts redis-server on 127.0.0.1:<free port> with no persistence (no RDB snapshots, no AOF)
 * (pinned to `cpu` when given) and waits until it answers PING. It is stopped by `stop()` and, whatever happens, at exit.
 */
export async function startRedisServer(binary: string, dir: string, cpu?: number): Promise<RedisServer> {
  const port = await freeLoopbackPort();
  const serverArgs = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const command = [binary, ...serverArgs, '--dir', dir, '--daemonize', 'no'];
  if (cpu !== undefined) command.unshift('taskset', '-c', String(cpu));
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output = (output + chunk).slice(-2000);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + chunk).slice(-2000);
  });
  const removeCleanup = onCleanup(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  const stop = async () => {
    removeCleanup();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const version = await waitForPing(port, child, () => output);
    return { port, version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`redis-server exited with code ${child.exitCode}: ${output()}`);
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      const info = await client.info('server');
      return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s: ${output()}`);
}
