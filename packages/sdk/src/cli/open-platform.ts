import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Platform } from '../platform/platform.js';
import { MANIFEST_FILE } from '../registry/manifest.js';
import { CliError } from './cli-error.js';

/**
 * Opens an EXISTING base for the read commands. `new Platform()` creates a missing base, which an
 * operator's typo in --base-path must never do: a missing directory or manifest is an error here.
 */
export function openExistingBase(basePathInput: string): Platform {
  return new Platform(assertExistingBase(basePathInput));
}

/**
 * The resolved path of an EXISTING base, or a CliError (exit 2) before anything is written there:
 * a cron job with a mistyped path must fail loudly, not report "nothing to do" forever.
 */
export function assertExistingBase(basePathInput: string): string {
  const basePath = resolve(basePathInput);
  if (!existsSync(basePath)) throw new CliError(`base path ${basePath} does not exist`);
  if (!statSync(basePath).isDirectory()) throw new CliError(`base path ${basePath} is not a directory`);
  if (!existsSync(join(basePath, MANIFEST_FILE))) {
    throw new CliError(`${basePath} is not a Deepwater base (it has no ${MANIFEST_FILE})`);
  }
  return basePath;
}

/** Runs `fn` with an open platform and always closes it. */
export async function withBase<T>(basePath: string, fn: (platform: Platform) => T | Promise<T>): Promise<T> {
  const platform = openExistingBase(basePath);
  try {
    return await fn(platform);
  } finally {
    platform.close();
  }
}
