import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeepwaterError } from '@deepwater/sdk';

/** ERR_BASE_NOT_FOUND: the dashboard's base path is not a Deepwater base. A DeepwaterError. */
export class BaseNotFoundError extends DeepwaterError {
  declare readonly path: string;
  constructor(path: string, reason: string) {
    super('ERR_BASE_NOT_FOUND', `No Deepwater base at ${path}: ${reason}`, { path });
    this.name = 'BaseNotFoundError';
  }
}

/**
 * The sdk's Platform creates a base that is missing; a monitor must not, or a typo in --base-path
 * would show a healthy empty base. So the dashboard checks first and explains what it found.
 */
export function assertBaseExists(basePath: string): string {
  const absolute = resolve(basePath);
  if (!existsSync(absolute)) throw new BaseNotFoundError(absolute, 'the directory does not exist');
  if (!statSync(absolute).isDirectory()) throw new BaseNotFoundError(absolute, 'it is not a directory');
  if (!existsSync(join(absolute, 'manifest.json'))) {
    throw new BaseNotFoundError(absolute, 'it has no manifest.json (is it the right directory?)');
  }
  return absolute;
}
