import { closeSync, existsSync, linkSync, lstatSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { DeepwaterError } from '../errors.js';
import { createExclusive, DEFAULT_FILE_MODE } from '../platform/base-fs.js';

function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Creates `path` with `length` bytes whose leading bytes are `header`, atomically and only if it is
 * absent: the file is completed under a temporary name and hard-linked into place, so no process
 * ever maps a half-initialised registry and two racing creators cannot reset each other's work.
 * Returns true if this call created it. The temporary file is created exclusively and never
 * through a link; `link` and `rename` act on a link at `path` itself, never on its target.
 */
export function createFileOnce(
  path: string,
  length: number,
  header: Uint8Array,
  mode = DEFAULT_FILE_MODE,
): boolean {
  if (existsSync(path)) return false; // the common case: one stat instead of a temp file
  const temp = tempPathFor(path);
  const fd = createExclusive(temp, mode);
  try {
    // Every byte written, never ftruncate: a sparse registry would need blocks on its first
    // store through the mapping, and on a full disk that store is SIGBUS. Writing the zeros
    // here turns a full disk into an ENOSPC error now. (The files are at most ~1 MiB.)
    const contents = new Uint8Array(length);
    contents.set(header);
    let written = 0;
    while (written < length) written += writeSync(fd, contents, written, length - written, written);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
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
export function writeFileAtomic(path: string, contents: string | Uint8Array, mode = DEFAULT_FILE_MODE): void {
  const temp = tempPathFor(path);
  const fd = createExclusive(temp, mode);
  try {
    const bytes = typeof contents === 'string' ? Buffer.from(contents) : contents;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, written);
  } catch (error) {
    // A full disk must not leave temp files behind to fill it further.
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
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
  const stats = lstatSync(path, { throwIfNoEntry: false });
  // A link is left to the no-follow open that comes next, which refuses it as ERR_SYMLINK.
  if (stats?.isSymbolicLink() || (stats?.isFile() && stats.size >= length)) return;
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
