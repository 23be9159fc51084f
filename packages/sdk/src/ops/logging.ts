import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';

/**
 * File logging for a base: `<base>/deepwater.log`, rotated by size through pino-roll. pino-roll numbers
 * every file, so the files on disk are `deepwater.1.log`, `deepwater.2.log`, …; the highest number is
 * the one being written.
 */
export const LOG_FILE_NAME = 'deepwater.log';
/** Rotate at 10 MiB… */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
/** …and keep five files (the active one included), across every process logging into the base. */
export const LOG_KEEP_FILES = 5;

export interface FileLoggerOptions {
  /** Bytes after which the file rotates; default LOG_ROTATE_BYTES. Whole KiB. */
  rotateBytes?: number;
  /** Files kept, the active one included; default LOG_KEEP_FILES. */
  keepFiles?: number;
  /** pino level; default 'info'. */
  level?: string;
  /** Bound into every line, e.g. `{ component: 'cleanup' }`. */
  bindings?: Record<string, unknown>;
}

const transports = new WeakMap<Logger, ReturnType<typeof pino.transport>>();

/**
 * A pino logger writing JSON lines into `<base>/deepwater.log` (rotated). The writes happen on a
 * worker thread so logging never blocks a writer's hot path; call `closeFileLogger` to flush before
 * a deliberate exit (pino also flushes on process exit).
 */
export function createFileLogger(basePath: string, options: FileLoggerOptions = {}): Logger {
  const rotateBytes = options.rotateBytes ?? LOG_ROTATE_BYTES;
  const keepFiles = options.keepFiles ?? LOG_KEEP_FILES;
  if (!Number.isInteger(rotateBytes) || rotateBytes < 1024) {
    throw new RangeError(`rotateBytes must be an integer of at least 1024, got ${rotateBytes}`);
  }
  if (!Number.isInteger(keepFiles) || keepFiles < 1) {
    throw new RangeError(`keepFiles must be a positive integer, got ${keepFiles}`);
  }
  // An absolute target, because the worker thread resolves module names from its own location.
  const target = createRequire(import.meta.url).resolve('pino-roll');
  const transport = pino.transport({
    target,
    options: {
      file: join(basePath, LOG_FILE_NAME),
      size: `${Math.floor(rotateBytes / 1024)}k`,
      // removeOtherLogFiles: count files left by earlier processes too, so the total stays bounded.
      limit: { count: keepFiles, removeOtherLogFiles: true },
      mkdir: false,
    },
  });
  const logger = pino({ level: options.level ?? 'info', base: { pid: process.pid } }, transport);
  const bound = options.bindings ? logger.child(options.bindings) : logger;
  transports.set(bound, transport);
  return bound;
}

/** Flushes and closes a logger from `createFileLogger`; resolves once every line is on disk. */
export async function closeFileLogger(logger: Logger): Promise<void> {
  const transport = transports.get(logger);
  if (!transport) return;
  transports.delete(logger);
  // Flush first: ending while a flush request is in flight makes the worker flush a closed file.
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  await new Promise<void>((resolve) => {
    transport.once('finish', resolve);
    transport.once('close', resolve);
    transport.end();
  });
}
