import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** Resolves with the first JSON line whose `event` matches. */
  next(event: string): Promise<Record<string, number>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs test/fixtures/<fixture>.ts in its own Node process with tsx. */
export function spawnFixture(fixture: string, args: object): Child {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `test/fixtures/${fixture}.ts`, JSON.stringify(args)],
    {
      cwd: PACKAGE_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const messages: Record<string, number | string>[] = [];
  const waiters: { event: string; resolve: (m: Record<string, number>) => void }[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.on('data', (chunk) => {
    buffered += String(chunk);
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, newline)) as Record<string, number | string>;
      buffered = buffered.slice(newline + 1);
      messages.push(message);
      for (const waiter of waiters.filter((w) => w.event === message.event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message as Record<string, number>);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    process: child,
    exited,
    next(event) {
      const seen = messages.find((m) => m.event === event);
      if (seen) return Promise.resolve(seen as Record<string, number>);
      return new Promise((resolve, reject) => {
        waiters.push({ event, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`${fixture} exited (${code ?? signal}) before "${event}":\n${stderr}`)),
        );
      });
    },
  };
}
