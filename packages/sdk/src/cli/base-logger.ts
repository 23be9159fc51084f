import { existsSync } from 'node:fs';
import type { FileLogger } from '../ops/logging.js';
import { closeFileLogger, createFileLogger } from '../ops/logging.js';

/**
 * Runs `fn` with a logger on `<base>/deepwater.log` so cleanup and repair leave an audit trail of
 * what they changed. Only for commands that change the base: a dry run must not even create a file.
 */
export async function withBaseLogger<T>(
  basePath: string,
  component: string,
  fn: (logger: FileLogger | undefined) => T,
): Promise<T> {
  if (!existsSync(basePath)) return fn(undefined);
  const logger = createFileLogger(basePath, { bindings: { component } });
  try {
    return fn(logger);
  } catch (error) {
    logger.error({ err: error }, `${component} failed`);
    throw error;
  } finally {
    await closeFileLogger(logger);
  }
}
