import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const SDK_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// By absolute URL, so a child started in a directory without node_modules still loads tsx.
const TSX_PACKAGE = createRequire(`${SDK_ROOT}package.json`).resolve('tsx/package.json');
const TSX = pathToFileURL(join(dirname(TSX_PACKAGE), 'dist/loader.mjs')).href;

export interface OpsChild {
  process: ChildProcess;
  /** Resolves with the first JSON line on stdout that has `key`. */
  line(key: string): Promise<Record<string, unknown>>;
  /** Resolves when stdout contains `text` (for CLI output that is not JSON lines). */
  output(text: string | RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Runs a TypeScript file (a fixture name, or a path) in a child Node process through tsx. */
export function spawnTs(
  file: string,
  args: readonly (string | number)[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = SDK_ROOT,
): OpsChild {
  const path = file.includes('/') ? file : `${FIXTURES}${file}`;
  const child = spawn(process.execPath, ['--import', TSX, path, ...args.map(String)], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  const listeners: (() => void)[] = [];
  child.stdout?.on('data', (d) => {
    stdout += d;
    for (const l of [...listeners]) l();
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const waitFor = <T>(probe: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          listeners.splice(listeners.indexOf(check), 1);
          resolve(found);
        }
      };
      listeners.push(check);
      check();
      exited.then((e) =>
        reject(new Error(`child exited (${e.code ?? e.signal}) before the expected output:\n${stderr}`)),
      );
    });
  return {
    process: child,
    exited,
    line: (key) =>
      waitFor(() => {
        for (const text of stdout.split('\n')) {
          try {
            const parsed = JSON.parse(text);
            if (parsed && typeof parsed === 'object' && key in parsed)
              return parsed as Record<string, unknown>;
          } catch {
            // not a JSON line
          }
        }
        return undefined;
      }),
    output: (text) =>
      waitFor(() =>
        (typeof text === 'string' ? stdout.includes(text) : text.test(stdout)) ? stdout : undefined,
      ),
  };
}
