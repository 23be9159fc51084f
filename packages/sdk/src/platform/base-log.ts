import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { FileLogger } from '../ops/logging.js';
import { closeFileLogger, createFileLogger, LOG_FILE_NAME } from '../ops/logging.js';

/** The Platform's default logger; release() when the platform closes. */
export interface BaseLog extends Logger {
  release(): void;
}

interface SharedLog {
  refs: number;
  /** undefined until the first line; null once opening the file failed (logging is then off). */
  logger: FileLogger | null | undefined;
}

// One file per base and process, however many Platforms are open on it: one descriptor, and one
// size count deciding rotation.
const shared = new Map<string, SharedLog>();

function open(basePath: string, entry: SharedLog, mode: number): FileLogger | null {
  if (entry.logger !== undefined) return entry.logger;
  try {
    entry.logger = createFileLogger(basePath, { bindings: { component: 'sdk' }, mode });
  } catch (error) {
    // A reader without write access to the base must keep working: say so once, then stay quiet.
    entry.logger = null;
    process.emitWarning(
      `Deepwater cannot write ${join(basePath, LOG_FILE_NAME)} (${(error as Error).message}); library logging is off. Pass { logger } or { logger: false } to new Platform() to choose.`,
    );
  }
  return entry.logger;
}

/**
 * `<base>/deepwater.log`, opened lazily on the first line so a process that only reads pays
 * nothing (and creates no file) until something is worth logging.
 */
export function acquireBaseLog(basePath: string, mode: number): BaseLog {
  let entry = shared.get(basePath);
  if (entry === undefined) {
    entry = { refs: 0, logger: undefined };
    shared.set(basePath, entry);
  }
  entry.refs++;
  const owned = entry;
  let released = false;
  // After release the file may be closed: a straggler line must not reopen it for good.
  const logger = () => (released ? null : open(basePath, owned, mode));
  return {
    info: (obj, msg) => logger()?.info(obj, msg),
    warn: (obj, msg) => logger()?.warn(obj, msg),
    error: (obj, msg) => logger()?.error(obj, msg),
    release: () => {
      if (released) return;
      released = true;
      if (--owned.refs > 0) return;
      shared.delete(basePath);
      if (owned.logger) void closeFileLogger(owned.logger);
    },
  };
}
