import {
  closeSync,
  existsSync,
  ftruncateSync,
  linkSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { DeepwaterError } from '../errors.js';

function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Creates `path` with `length` bytes whose leading bytes are `header`, atomically and only if it is
 * absent: the file is completed under a temporary name and hard-linked into place, so no process
 * ever maps a half-initialised registry and two racing creators cannot reset each other's work.
 * Returns true if this call created it.
 */
export function createFileOnce(path: string, length: number, header: Uint8Array): boolean {
  if (existsSync(path)) return false; // the common case: one stat instead of a temp file
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, header, 0, header.length, 0);
    ftruncateSync(fd, length);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** Replaces `path` with `contents` atomically (write a temp file, then rename over). */
export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'w', 0o644);
  try {
    const bytes = typeof contents === 'string' ? Buffer.from(contents) : contents;
    writeSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Sleeps the thread without burning it (used only on rare contended paths such as the registry lock). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Throws ERR_CORRUPT naming the file when it is shorter than its format's fixed length (or not a
 * regular file): mapping it would leave accesses past its end to fail with a raw RangeError or SIGBUS.
 */
export function assertFileLength(path: string, length: number, remedy: string, feed?: string): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isFile() && stats.size >= length) return;
  const what =
    stats === undefined
      ? 'is missing'
      : stats.isFile()
        ? `is ${stats.size} bytes, expected ${length}`
        : 'is not a regular file';
  throw new DeepwaterError(
    'ERR_CORRUPT',
    `${feed === undefined ? '' : `Feed "${feed}": `}${path} ${what}; ${remedy}`,
    {
      path,
      ...(feed === undefined ? {} : { feed }),
    },
  );
}
