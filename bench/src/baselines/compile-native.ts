import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const NATIVE_DIR = fileURLToPath(new URL('../../native/', import.meta.url));
const BUILD_DIR = fileURLToPath(new URL('../../build/', import.meta.url));
const COMPILERS = ['cc', 'gcc', 'clang'];

/**
 * Compiles bench/native/<name>.c with `-O2` into bench/build/<name> (only when the source is
 * newer) and returns the binary's path. Throws naming every compiler tried when none works.
 */
export function compileNative(name: string): string {
  const source = `${NATIVE_DIR}${name}.c`;
  const binary = `${BUILD_DIR}${name}`;
  if (isFresh(binary, source)) return binary;
  mkdirSync(BUILD_DIR, { recursive: true });
  const failures: string[] = [];
  for (const compiler of COMPILERS) {
    const result = spawnSync(compiler, ['-O2', '-Wall', '-o', binary, source], { encoding: 'utf8' });
    if (result.status === 0) return binary;
    failures.push(`${compiler}: ${result.error?.message ?? result.stderr.trim()}`);
  }
  throw new Error(
    `cannot compile ${source} (install a C compiler, e.g. apt-get install gcc): ${failures.join('; ')}`,
  );
}

function isFresh(binary: string, source: string): boolean {
  try {
    return statSync(binary).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}
