import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The feed's shm object name: `dw-<16 hex of sha256(realpath(base))>-<feed>`. The real path
 * makes a relative, an absolute and a symlinked base reach the same ring; feed names are at
 * most 64 characters, so the name stays at 84, far within NAME_MAX.
 */
export function ringShmName(basePath: string, feedName: string): string {
  let base: string;
  try {
    base = realpathSync(basePath);
  } catch {
    base = resolve(basePath); // the base is gone (being deleted): still name the same ring
  }
  const digest = createHash('sha256').update(base).digest('hex').slice(0, 16);
  return `dw-${digest}-${feedName}`;
}
