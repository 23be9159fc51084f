import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why nats-server tests cannot run here, or undefined when they can. */
export function natsServerMissing(): string | undefined {
  try {
    execFileSync('nats-server', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'nats-server is not installed (.ci/run installs it with apt-get install nats-server)';
  }
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** SIGKILL (crash) or SIGTERM; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and store (after stop). */
  restart(): Promise<void>;
}

interface ServerSpec {
  name: string;
  port: number;
  storeDir: string;
  cluster?: { port: number; routes: number[] };
}

function argsOf(spec: ServerSpec): string[] {
  const args = ['-a', '127.0.0.1', '-p', String(spec.port), '-js', '-sd', spec.storeDir, '-n', spec.name];
  if (spec.cluster !== undefined) {
    args.push(
      '--cluster_name',
      'deepwater-test',
      '--cluster',
      `nats://127.0.0.1:${spec.cluster.port}`,
      '--routes',
      spec.cluster.routes.map((p) => `nats://127.0.0.1:${p}`).join(','),
    );
  }
  return args;
}

async function launch(spec: ServerSpec, readyLine: RegExp): Promise<ChildProcess> {
  const child = spawn('nats-server', argsOf(spec), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nats-server ${spec.name} not ready in 20 s:\n${log}`)),
      20_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (readyLine.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server ${spec.name} exited with ${code}:\n${log}`));
    });
  });
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  child.removeAllListeners('exit');
  return child;
}

function serverHandle(spec: ServerSpec, readyLine: RegExp, child: ChildProcess): NatsServer {
  let current: ChildProcess | undefined = child;
  return {
    url: `nats://127.0.0.1:${spec.port}`,
    port: spec.port,
    storeDir: spec.storeDir,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const proc = current;
      current = undefined;
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill(signal);
      });
    },
    async restart() {
      current = await launch(spec, readyLine);
    },
  };
}

/** One JetStream server on a free loopback port with its own store directory. */
export async function startNatsServer(port?: number): Promise<NatsServer & { dispose(): Promise<void> }> {
  const storeDir = mkdtempSync(join(tmpdir(), 'dw-nats-'));
  const spec: ServerSpec = { name: 'dw-single', port: port ?? (await freePort()), storeDir };
  const ready = /Server is ready/;
  const handle = serverHandle(spec, ready, await launch(spec, ready));
  return {
    ...handle,
    async dispose() {
      await handle.stop('SIGKILL');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Three clustered JetStream servers (R3 streams possible); dispose() kills them all and removes their stores. */
export async function startNatsCluster(): Promise<{
  nodes: NatsServer[];
  urls: string;
  dispose(): Promise<void>;
}> {
  const root = mkdtempSync(join(tmpdir(), 'dw-nats-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const clusterPorts = [await freePort(), await freePort(), await freePort()];
  const specs: ServerSpec[] = ports.map((port, i) => ({
    name: `dw-node-${i}`,
    port,
    storeDir: join(root, `n${i}`),
    cluster: { port: clusterPorts[i] as number, routes: clusterPorts.filter((_, j) => j !== i) },
  }));
  const ready = /Server is ready/;
  const launched = await Promise.allSettled(specs.map((spec) => launch(spec, ready)));
  const nodes = launched.flatMap((r, i) =>
    r.status === 'fulfilled' ? [serverHandle(specs[i] as ServerSpec, ready, r.value)] : [],
  );
  const failed = launched.find((r) => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    rmSync(root, { recursive: true, force: true });
    throw failed.reason;
  }
  return {
    nodes,
    urls: nodes.map((n) => n.url).join(','),
    async dispose() {
      await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
