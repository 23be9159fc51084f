import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../core/cleanup.js';
import type { Pinning } from '../core/pinning.js';

const NATIVE_DIR = fileURLToPath(new URL('../../native/', import.meta.url));
const BUILD_DIR = fileURLToPath(new URL('../../build/', import.meta.url));
const COMPILERS = ['cc', 'gcc', 'clang'];

const FLAGS = ['-O2', '-Wall'];

/**
 * Compiles bench/native/<name>.c with `-O2` into bench/build/<name> unless the binary was built
 * from exactly these sources (a hash of the .c, the shared common.h and the flags, kept beside it
 * in <name>.sources: modification times were not enough, a binary built later from an older source
 * counted as fresh and a floor ran with the old arguments), and returns the binary's path. Throws
 * naming every compiler tried when none works.
 */
export function compileNative(name: string): string {
  const source = `${NATIVE_DIR}${name}.c`;
  const binary = `${BUILD_DIR}${name}`;
  const stamp = `${binary}.sources`;
  const hash = sourcesHash([source, `${NATIVE_DIR}common.h`]);
  if (existsSync(binary) && readIfExists(stamp) === hash) return binary;
  mkdirSync(BUILD_DIR, { recursive: true });
  const failures: string[] = [];
  for (const compiler of COMPILERS) {
    const result = spawnSync(compiler, [...FLAGS, '-o', binary, source], { encoding: 'utf8' });
    if (result.status === 0) {
      writeFileSync(stamp, hash);
      return binary;
    }
    failures.push(`${compiler}: ${result.error?.message ?? result.stderr.trim()}`);
  }
  throw new Error(
    `cannot compile ${source} (install a C compiler, e.g. apt-get install gcc): ${failures.join('; ')}`,
  );
}

function sourcesHash(inputs: readonly string[]): string {
  const hash = createHash('sha256').update(FLAGS.join(' '));
  for (const input of inputs) hash.update('\0').update(readFileSync(input));
  return hash.digest('hex');
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Runs a compiled baseline to completion (killed if the bench is interrupted) and returns its
 * stdout; a non-zero exit rejects with the program's stderr. With `cpu`, it runs under
 * `taskset -c <cpu>` when pinning is available.
 */
export function runNative(
  binary: string,
  args: string[],
  options: { pinning?: Pinning; cpu?: number } = {},
): Promise<string> {
  const pinned = options.pinning?.available === true && options.cpu !== undefined;
  const command = pinned ? ['taskset', '-c', String(options.cpu), binary, ...args] : [binary, ...args];
  const name = path.basename(binary);
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const kill = onCleanup(() => child.kill('SIGKILL'));
    child.on('error', (error) => {
      kill();
      reject(error);
    });
    child.on('exit', (code, signal) => {
      kill();
      if (code === 0) resolve(stdout);
      else reject(new Error(`${name} exited (${signal ?? `code ${code}`}): ${stderr.trim()}`));
    });
  });
}
