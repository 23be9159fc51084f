import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface RingChild {
  process: ChildProcess;
  /** Resolves with the first JSON line that has `key`; rejects if the child exits first. */
  line(key: string): Promise<Record<string, number>>;
  /** Writes a line to the child's stdin (fixtures wait for it before writing). */
  go(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns fixtures with `node --import tsx`; children still running after a test are SIGKILLed. */
export function useRingChildren(): (fixture: string, args: readonly (string | number)[]) => RingChild {
  const children: RingChild[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
  });
  return (fixture, args) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', `${FIXTURES}${fixture}`, ...args.map(String)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: Record<string, number>[] = [];
    const waiters: { key: string; resolve: (line: Record<string, number>) => void }[] = [];
    let stderr = '';
    let buffered = '';
    proc.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    proc.stdout?.on('data', (chunk) => {
      buffered += String(chunk);
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, nl)) as Record<string, number>;
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.key in line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      proc.on('exit', (code, signal) => resolve({ code, signal }));
    });
    const child: RingChild = {
      process: proc,
      exited,
      go: () => proc.stdin?.write('go\n'),
      line: (key) => {
        const seen = lines.find((line) => key in line);
        if (seen !== undefined) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
          waiters.push({ key, resolve });
          void exited.then(({ code, signal }) =>
            setTimeout(
              () => reject(new Error(`${fixture} exited (${code ?? signal}) before "${key}":\n${stderr}`)),
              50,
            ),
          );
        });
      },
    };
    children.push(child);
    return child;
  };
}
