import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { unlinkShm } from '../src/index.js';

const PACKAGE_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh directory under os.tmpdir(), removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-storage-native-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let shmCounter = 0;
/** A unique `dw-test-` shm name, unlinked after the test. */
export function shmName(label: string): string {
  const name = `dw-test-${label}-${process.pid}-${shmCounter++}`;
  cleanups.push(() => unlinkShm(name));
  return name;
}

/** Registers work to run after the current test (closing mappings, releasing locks). */
export function onCleanup(cleanup: () => void): void {
  cleanups.push(cleanup);
}

export interface Fixture {
  readonly child: ChildProcess;
  /** The next JSON line the fixture printed on stdout. */
  nextMessage<T = Record<string, unknown>>(): Promise<T>;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs test/fixtures/<name>.ts in a real child process; it is killed after the test. */
export function startFixture(
  name: string,
  args: readonly string[],
  nodeOptions: readonly string[] = [],
): Fixture {
  const child = spawn(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', path.join(PACKAGE_ROOT, 'test', 'fixtures', `${name}.ts`), ...args],
    { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  return {
    child,
    exited,
    async nextMessage<T>() {
      const next = await Promise.race([
        lines.next(),
        exited.then(({ code, signal }) => {
          throw new Error(
            `fixture ${name} exited (code ${code}, signal ${signal}) before replying: ${stderr}`,
          );
        }),
      ]);
      if (next.done) throw new Error(`fixture ${name} closed stdout: ${stderr}`);
      return JSON.parse(next.value) as T;
    },
  };
}

/** Runs a fixture to completion and returns its single JSON reply. */
export async function runFixture<T = Record<string, unknown>>(
  name: string,
  args: readonly string[],
): Promise<T> {
  const fixture = startFixture(name, args);
  const message = await fixture.nextMessage<T>();
  const { code } = await fixture.exited;
  if (code !== 0) throw new Error(`fixture ${name} exited with code ${code}`);
  return message;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
