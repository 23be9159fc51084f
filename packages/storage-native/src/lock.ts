import { binding, type FileLockHandle } from './binding.js';
import { checkBoolean, checkMode, checkOptionNames, checkPath } from './options.js';

export interface LockFileOptions {
  /** Refuse (NativeError ELOOP) when `path` itself is a symbolic link (O_NOFOLLOW). */
  noFollow?: boolean;
  /** Permission bits (0..0o777) of a lock file this call creates, umask-independent (fchmod). */
  mode?: number;
}

/**
 * FileLock — an exclusive open-file-description lock. Per handle (a second tryLockFile in the
 * same process is refused too) and released by the kernel when the holder dies, even by SIGKILL.
 * Not released by garbage collection: an unreleased lock is held until release() or exit.
 */
export interface FileLock extends Disposable {
  readonly path: string;
  readonly released: boolean;
  /** Clears the recorded pid and drops the lock. Idempotent. */
  release(): void;
}

class OfdFileLock implements FileLock {
  readonly path: string;
  readonly #handle: FileLockHandle;

  constructor(handle: FileLockHandle, path: string) {
    this.#handle = handle;
    this.path = path;
  }

  get released(): boolean {
    return this.#handle.released;
  }

  release(): void {
    this.#handle.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * Non-blocking exclusive lock on `path` (created 0644 if missing). On success the holder's pid
 * (decimal + '\n') is written into the file. Returns null when someone else holds it.
 */
export function tryLockFile(path: string, options: LockFileOptions = {}): FileLock | null {
  checkPath('tryLockFile', path);
  const where = `tryLockFile(${JSON.stringify(path)})`;
  checkOptionNames(where, options, ['noFollow', 'mode']);
  const noFollow = checkBoolean(where, 'noFollow', options.noFollow);
  const mode = checkMode(where, options.mode);
  const handle = binding.tryLockFile(path, noFollow, mode);
  return handle === null ? null : new OfdFileLock(handle, path);
}

/**
 * The pid recorded in the lock file while the lock is held, else null (also when the file does
 * not exist). Returns 0 if the lock is held but no pid was recorded (a locker other than
 * tryLockFile).
 */
export function lockHolder(path: string): number | null {
  checkPath('lockHolder', path);
  return binding.lockHolder(path);
}
