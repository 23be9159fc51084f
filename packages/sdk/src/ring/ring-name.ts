import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** The base's real path (links resolved), or its resolved path once it is gone (being deleted). */
export function realBasePath(basePath: string): string {
  try {
    return realpathSync(basePath);
  } catch {
    return resolve(basePath);
  }
}

/** `dw-<16 hex of sha256(realBase)>-<feed>` for an already resolved real base path. */
export function ringShmNameFor(realBase: string, feedName: string): string {
  const digest = createHash('sha256').update(realBase).digest('hex').slice(0, 16);
  return `dw-${digest}-${feedName}`;
}

/**
 * The feed's shm object name: `dw-<16 hex of sha256(realpath(base))>-<feed>`. The real path
 * makes a relative, an absolute and a symlinked base reach the same ring; feed names are at
 * most 64 characters, so the name stays at 84, far within NAME_MAX.
 */
export function ringShmName(basePath: string, feedName: string): string {
  return ringShmNameFor(realBasePath(basePath), feedName);
}
