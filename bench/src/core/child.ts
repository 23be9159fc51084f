import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';
import type { Pinning } from './pinning.js';

/** Messages children send: `ready`/custom steps, then exactly one `result` or `error`. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

export interface ChildOptions {
  /** Pin to this cpu with `taskset -c` when pinning is available. */
  cpu?: number;
  timeoutMs: number;
  /** Extra node flags, e.g. a larger heap for replay. */
  nodeArgs?: string[];
}

const CHILDREN_DIR = new URL('../children/', import.meta.url);

/**
 * A benchmark child process: built JS under dist/children, run with its own params, pinned with
 * taskset when available, talking to the harness over the IPC channel.
 */
export class BenchChild {
  readonly process: ChildProcess;
  readonly pinnedCpu: number | undefined;
  private readonly inbox: ChildMessage[] = [];
  private readonly waiters: Array<{ type: string; resolve: (m: ChildMessage) => void }> = [];
  private exitError: Error | undefined;
  private readonly stderrTail: string[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly removeCleanup: () => void;

  constructor(script: string, params: unknown, pinning: Pinning, options: ChildOptions) {
    const scriptPath = fileURLToPath(new URL(script, CHILDREN_DIR));
    const nodeCommand = [process.execPath, ...(options.nodeArgs ?? []), scriptPath];
    const cpu = pinning.available && options.cpu !== undefined ? options.cpu % pinning.cpuCount : undefined;
    const command = cpu === undefined ? nodeCommand : ['taskset', '-c', String(cpu), ...nodeCommand];
    this.pinnedCpu = cpu;
    this.process = spawn(command[0], command.slice(1), {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      env: { ...process.env, DW_BENCH_PARAMS: JSON.stringify(params) },
    });
    this.process.stderr?.setEncoding('utf8');
    this.process.stderr?.on('data', (chunk: string) => {
      this.stderrTail.push(chunk);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    this.process.on('message', (message: ChildMessage) => this.deliver(message));
    this.process.on('exit', (code, signal) => {
      clearTimeout(this.timer);
      this.removeCleanup();
      const stderr = this.stderrTail.join('').trim();
      this.exitError = new Error(
        `${script} exited (${signal ?? `code ${code}`}) before reporting` + (stderr ? `: ${stderr}` : ''),
      );
      for (const waiter of this.waiters.splice(0)) waiter.resolve({ type: 'exit' });
    });
    this.timer = setTimeout(() => {
      this.stderrTail.push(`timed out after ${options.timeoutMs} ms`);
      this.kill();
    }, options.timeoutMs);
    this.removeCleanup = onCleanup(() => this.kill());
  }

  private deliver(message: ChildMessage): void {
    const index = this.waiters.findIndex((w) => w.type === message.type || message.type === 'error');
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      waiter.resolve(message);
    } else {
      this.inbox.push(message);
    }
  }

  /** Resolves with the next message of `type`; rejects if the child fails or exits first. */
  async waitFor<T extends ChildMessage = ChildMessage>(type: string): Promise<T> {
    const queued = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
    const message =
      queued >= 0
        ? this.inbox.splice(queued, 1)[0]
        : this.exitError
          ? ({ type: 'exit' } as ChildMessage)
          : await new Promise<ChildMessage>((resolve) => this.waiters.push({ type, resolve }));
    if (message.type === 'error') throw new Error(String(message.message));
    if (message.type === 'exit') throw this.exitError ?? new Error('child exited');
    if (message.type !== type) throw new Error(`expected "${type}" from child, got "${message.type}"`);
    return message as T;
  }

  send(message: ChildMessage): void {
    if (this.process.connected) this.process.send(message);
  }

  /** Waits for the child's `result` message and for it to exit. */
  async result<T>(): Promise<T> {
    const message = await this.waitFor<ChildMessage & { result: T }>('result');
    if (this.process.exitCode === null && this.process.signalCode === null) {
      await once(this.process, 'exit');
    }
    return message.result;
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }
}

/** Runs one child to completion and returns its result. */
export async function runChild<T>(
  script: string,
  params: unknown,
  pinning: Pinning,
  options: ChildOptions,
): Promise<T> {
  const child = new BenchChild(script, params, pinning, options);
  try {
    return await child.result<T>();
  } finally {
    child.kill();
  }
}
