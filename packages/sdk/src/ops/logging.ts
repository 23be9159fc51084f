import { join } from 'node:path';
import { DeepwaterRangeError } from '@deepwater/errors';
import { pino } from 'pino';
import type { Logger } from '../logger.js';
import { DEFAULT_FILE_MODE } from '../platform/base-fs.js';
import { RotatingLogFile } from './rotating-log-file.js';

/**
 * File logging for a base: JSON lines (pino) in `<base>/deepwater.log`, rotated by size to
 * `deepwater.log.1` (newest) … `deepwater.log.4`.
 */
export const LOG_FILE_NAME = 'deepwater.log';
/** Rotate at 10 MiB… */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
/** …and keep five files, the active one included. */
export const LOG_KEEP_FILES = 5;

export interface FileLoggerOptions {
  /** Bytes after which the file rotates; default LOG_ROTATE_BYTES (at least 1024). */
  rotateBytes?: number;
  /** Files kept, the active one included; default LOG_KEEP_FILES. */
  keepFiles?: number;
  /** pino level; default 'info'. */
  level?: string;
  /** Bound into every line, e.g. `{ component: 'cleanup' }`. */
  bindings?: Record<string, unknown>;
  /** Permission bits of a log file this logger creates (default 0o660), whatever the umask. */
  mode?: number;
}

/**
 * What createFileLogger returns: a pino logger, typed by the sdk's own interface so the public
 * declarations do not pull in pino's types (and through them @types/node).
 */
export interface FileLogger extends Logger {
  debug(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): FileLogger;
}

const files = new WeakMap<object, RotatingLogFile>();

/**
 * A pino logger appending JSON lines to `<base>/deepwater.log` (rotated). Lines are written
 * synchronously, so they are on disk when the call returns, even if the process exits right after.
 * Throws if the file cannot be opened (e.g. a read-only base); `closeFileLogger` closes it.
 */
export function createFileLogger(basePath: string, options: FileLoggerOptions = {}): FileLogger {
  const rotateBytes = options.rotateBytes ?? LOG_ROTATE_BYTES;
  const keepFiles = options.keepFiles ?? LOG_KEEP_FILES;
  if (!Number.isInteger(rotateBytes) || rotateBytes < 1024) {
    throw new DeepwaterRangeError(`rotateBytes must be an integer of at least 1024, got ${rotateBytes}`);
  }
  if (!Number.isInteger(keepFiles) || keepFiles < 1) {
    throw new DeepwaterRangeError(`keepFiles must be a positive integer, got ${keepFiles}`);
  }
  const file = new RotatingLogFile(
    join(basePath, LOG_FILE_NAME),
    rotateBytes,
    keepFiles,
    options.mode ?? DEFAULT_FILE_MODE,
  );
  const logger = pino({ level: options.level ?? 'info', base: { pid: process.pid } }, file);
  const bound = options.bindings ? logger.child(options.bindings) : logger;
  files.set(bound, file);
  return bound;
}

/** Closes a logger from `createFileLogger` (every line is already on disk). Idempotent. */
export async function closeFileLogger(logger: Logger): Promise<void> {
  const file = files.get(logger);
  if (!file) return;
  files.delete(logger);
  file.close();
}
