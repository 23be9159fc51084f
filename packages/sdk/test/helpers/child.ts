import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** Resolves with the first JSON line that has `key`. */
  line(key: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Child processes of the current test; killed (SIGKILL) if still running afterwards. */
export function useChildren(): (fixture: string, args: readonly (string | number)[]) => Child {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
  });
  return (fixture, args) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${FIXTURES}${fixture}`, ...args.map(String)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: Record<string, unknown>[] = [];
    const waiters: { key: string; resolve: (v: Record<string, unknown>) => void }[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.stdout?.on('data', (d) => {
      buffer += d;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          lines.push(parsed);
          for (const w of [...waiters]) {
            if (w.key in parsed) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(parsed);
            }
          }
        } catch {
          // not a protocol line
        }
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
      (resolve) => {
        child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
      },
    );
    return {
      process: child,
      exited,
      line: (key) => {
        const found = lines.find((l) => key in l);
        if (found !== undefined) return Promise.resolve(found);
        return new Promise((resolve, reject) => {
          waiters.push({ key, resolve });
          exited.then(({ code, signal }) => {
            setTimeout(
              () =>
                reject(
                  new Error(`${fixture} exited (${code ?? signal}) before printing "${key}": ${stderr}`),
                ),
              50,
            );
          });
        });
      },
    };
  };
}
