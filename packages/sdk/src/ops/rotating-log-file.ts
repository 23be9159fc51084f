import { closeSync, constants, fchmodSync, fstatSync, renameSync, writeSync } from 'node:fs';
import { openNoFollow } from '../platform/base-fs.js';

const APPEND = constants.O_WRONLY | constants.O_APPEND;

/**
 * A synchronous, size-rotated append-only file, logrotate style: `path` is always the file being
 * written, older ones are `path.1` (newest) … `path.<keepFiles - 1>`. Synchronous on purpose: the
 * library logs a handful of lifecycle lines, so a write(2) each is cheap, nothing is lost when the
 * process exits, and a base directory that was removed is never re-created behind the user's back.
 */
export class RotatingLogFile {
  readonly path: string;
  readonly #rotateBytes: number;
  readonly #keepFiles: number;
  readonly #mode: number;
  #fd: number;
  #size: number;

  constructor(path: string, rotateBytes: number, keepFiles: number, mode: number) {
    this.path = path;
    this.#rotateBytes = rotateBytes;
    this.#keepFiles = keepFiles;
    this.#mode = mode;
    this.#fd = this.#open(APPEND);
    this.#size = fstatSync(this.#fd).size;
  }

  /** Never through a link planted at `path`; a file this opens empty and owns gets the mode. */
  #open(flags: number): number {
    let fd: number;
    try {
      fd = openNoFollow(this.path, flags | constants.O_CREAT | constants.O_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return openNoFollow(this.path, flags);
    }
    fchmodSync(fd, this.#mode);
    return fd;
  }

  /** pino's destination contract: one call per JSON line. */
  write(line: string): boolean {
    const bytes = Buffer.from(line);
    // Rotate before a line would cross the limit, so lines are never split between files.
    if (this.#size > 0 && this.#size + bytes.length > this.#rotateBytes) this.#rotate();
    writeSync(this.#fd, bytes);
    this.#size += bytes.length;
    return true;
  }

  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #rotate(): void {
    closeSync(this.#fd);
    this.#fd = -1;
    // Another process logging into the same base may have rotated already: missing files are fine.
    for (let i = this.#keepFiles - 1; i >= 1; i--) {
      const from = i === 1 ? this.path : `${this.path}.${i - 1}`;
      try {
        renameSync(from, `${this.path}.${i}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    // Keeping a single file means starting it over.
    this.#fd = this.#open(this.#keepFiles === 1 ? constants.O_WRONLY | constants.O_TRUNC : APPEND);
    this.#size = fstatSync(this.#fd).size;
  }
}
