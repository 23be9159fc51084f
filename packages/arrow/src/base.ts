import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeepwaterError } from '@deepwater/errors';
import { Platform } from '@deepwater/sdk';

/**
 * Opens the base at `path`. `new Platform()` creates a missing base, which a typo in `-b` must not
 * do for an export or an import into an existing feed (the sdk CLI refuses it the same way): only
 * an import that creates its feed (`--create`) may create the base too.
 */
export function openBase(path: string, mayCreate = false): Platform {
  if (!mayCreate) {
    const at = resolve(path);
    if (!existsSync(at)) {
      throw new DeepwaterError('ERR_BASE_NOT_FOUND', `base path ${at} does not exist`, { path: at });
    }
    if (!existsSync(join(at, 'manifest.json'))) {
      throw new DeepwaterError(
        'ERR_BASE_NOT_FOUND',
        `${at} is not a Deepwater base (it has no manifest.json)`,
        { path: at },
      );
    }
  }
  return new Platform(path);
}
