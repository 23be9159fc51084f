import { chmodSync, constants, fchmodSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { DeepwaterRangeError } from '@deepwater/errors';
import {
  type FileLock,
  type MapFileOptions,
  type Mapping,
  mapFile,
  tryLockFile,
} from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';

// Everything the library creates, writes, renames or unlinks inside a base goes through here, so a
// link planted inside the base (a chunk, feeds.reg, feeds/<name>) is refused instead of followed
// out of it. The base path itself may be a link: that is the user's choice.

/** Files: owner and group read/write, never world (readers write their positions, so g+w). */
export const DEFAULT_FILE_MODE = 0o660;

/** A directory's mode for a file mode: search (x) wherever read is allowed. */
export function directoryModeFor(fileMode: number): number {
  return fileMode | ((fileMode & 0o444) >> 2);
}

/** Validates the Platform's `mode` option: permission bits only, and the owner can read and write. */
export function checkFileMode(value: unknown): number {
  if (value === undefined) return DEFAULT_FILE_MODE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o777) {
    throw new DeepwaterRangeError(
      `Platform option "mode" must be an integer permission mode from 0 to 0o777 (e.g. 0o660), got ${typeof value === 'number' ? `0o${value.toString(8)}` : JSON.stringify(value)}`,
    );
  }
  if ((value & 0o600) !== 0o600) {
    throw new DeepwaterRangeError(
      `Platform option "mode" must let the owner read and write (0o600), got 0o${value.toString(8)}`,
    );
  }
  return value;
}

export function symlinkError(path: string, feed?: string): DeepwaterError {
  const whose = feed === undefined ? '' : `Feed "${feed}": `;
  return new DeepwaterError(
    'ERR_SYMLINK',
    `${whose}${path} is a symbolic link; Deepwater never follows links inside a base directory (remove the link, or put the real file or directory there)`,
    { path, ...(feed === undefined ? {} : { feed }) },
  );
}

/** The errno code of a failed call, if any. */
function errnoCode(error: unknown): string | undefined {
  return (error as { code?: unknown })?.code === undefined
    ? undefined
    : String((error as { code: unknown }).code);
}

/** ELOOP from an O_NOFOLLOW open becomes ERR_SYMLINK naming the link; anything else passes. */
export function translateLinkError(error: unknown, path: string, feed?: string): unknown {
  return errnoCode(error) === 'ELOOP' ? symlinkError(path, feed) : error;
}

/**
 * True if `path` is a real directory, false if it does not exist; ERR_SYMLINK if it is a link and
 * ERR_CORRUPT if it is something else.
 */
export function isRealDirectory(path: string, feed?: string): boolean {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
  if (stat.isSymbolicLink()) throw symlinkError(path, feed);
  if (!stat.isDirectory()) {
    throw new DeepwaterError('ERR_CORRUPT', `${path} should be a directory but is not`, {
      path,
      ...(feed === undefined ? {} : { feed }),
    });
  }
  return true;
}

/**
 * Creates `path` (one level; its parent must exist) with `mode` whatever the umask, or checks that
 * the existing entry is a real directory (a link is refused, not followed).
 */
export function ensureDirectory(path: string, mode: number, feed?: string): void {
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    isRealDirectory(path, feed);
    return;
  }
  chmodSync(path, mode); // mkdir applies the umask; the base's mode must not depend on it
}

/** `flags | O_NOFOLLOW`: ERR_SYMLINK when `path` is a link. */
export function openNoFollow(path: string, flags: number, feed?: string): number {
  try {
    return openSync(path, flags | constants.O_NOFOLLOW, DEFAULT_FILE_MODE);
  } catch (error) {
    throw translateLinkError(error, path, feed);
  }
}

/** A new file (it must not exist: O_EXCL, never through a link) with `mode` whatever the umask. */
export function createExclusive(path: string, mode: number, feed?: string): number {
  const fd = openNoFollow(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, feed);
  fchmodSync(fd, mode);
  return fd;
}

/** mapFile that never follows a link at `path`; a file it creates gets `mode`. */
export function mapInBase(path: string, options: MapFileOptions, feed?: string): Mapping {
  try {
    return mapFile(path, { ...options, noFollow: true });
  } catch (error) {
    throw translateLinkError(error, path, feed);
  }
}

/** tryLockFile that never follows a link at `path`; a lock file it creates gets `mode`. */
export function lockInBase(path: string, mode: number, feed?: string): FileLock | null {
  try {
    return tryLockFile(path, { noFollow: true, mode });
  } catch (error) {
    throw translateLinkError(error, path, feed);
  }
}
