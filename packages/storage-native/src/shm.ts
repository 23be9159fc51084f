import { DeepwaterTypeError } from '@deepwater/errors';
import { binding } from './binding.js';
import { Mapping } from './mapping.js';
import { checkBoolean, checkMode, checkOptionNames, checkSize, describe } from './options.js';

export interface ShmOptions {
  /** Bytes to map; default: the whole object. With create, the object grows to it (never shrinks). */
  size?: number;
  /** Create the object (0644) if missing. */
  create?: boolean;
  /** With create: fail with NativeError EEXIST if the object already exists. */
  exclusive?: boolean;
  /** Map PROT_READ: writing through the buffer then segfaults. */
  readOnly?: boolean;
  /** Permission bits (0..0o777) of an object this call creates, umask-independent (fchmod). */
  mode?: number;
  /**
   * Refuse (NativeError EPERM, naming the owner's uid) an existing object that another user owns,
   * before it is sized or mapped.
   */
  mustOwn?: boolean;
}

/** Longest accepted name, without the leading '/'. */
export const SHM_NAME_MAX_LENGTH = 250;

/**
 * Opens and maps a POSIX shared memory object (it lives in /dev/shm/<name>). `name` may carry a
 * leading '/'. Nothing is unlinked on close: that is unlinkShm's job.
 */
export function openShm(name: string, options: ShmOptions = {}): Mapping {
  const bare = checkShmName('openShm', name);
  const where = `openShm(${JSON.stringify(name)})`;
  checkOptionNames(where, options, ['size', 'create', 'exclusive', 'readOnly', 'mode', 'mustOwn']);
  const size = checkSize(where, options.size);
  const create = checkBoolean(where, 'create', options.create);
  const exclusive = checkBoolean(where, 'exclusive', options.exclusive);
  const readOnly = checkBoolean(where, 'readOnly', options.readOnly);
  const mode = checkMode(where, options.mode);
  const mustOwn = checkBoolean(where, 'mustOwn', options.mustOwn);
  if (create && readOnly) throw new DeepwaterTypeError(`${where}: create and readOnly cannot be combined`);
  if (exclusive && !create) throw new DeepwaterTypeError(`${where}: exclusive requires create: true`);
  const handle = binding.openShm(bare, size, create, exclusive, readOnly, mode, mustOwn);
  return new Mapping(handle, shmPath(bare), 'shm', readOnly);
}

/** Removes the name; processes that still map the object keep using it. False if it did not exist. */
export function unlinkShm(name: string): boolean {
  return binding.unlinkShm(checkShmName('unlinkShm', name));
}

export function shmExists(name: string): boolean {
  return binding.shmExists(checkShmName('shmExists', name));
}

/** '/dev/shm/<name>' for a name given with or without its leading '/'. */
export function shmPath(name: string): string {
  return `/dev/shm/${checkShmName('shmPath', name)}`;
}

/** The name without its leading '/', or a TypeError that says what is wrong with it. */
function checkShmName(where: string, name: unknown): string {
  if (typeof name !== 'string')
    throw new DeepwaterTypeError(`${where}: shm name must be a string, got ${describe(name)}`);
  const bare = name.startsWith('/') ? name.slice(1) : name;
  let problem: string | undefined;
  if (bare.length === 0) problem = 'it is empty';
  else if (bare.length > SHM_NAME_MAX_LENGTH) problem = `it is longer than ${SHM_NAME_MAX_LENGTH} characters`;
  else if (bare.includes('/')) problem = "it contains '/' (only one leading '/' is allowed)";
  else if (bare.includes('\0')) problem = 'it contains a NUL character';
  else if (bare === '.' || bare === '..') problem = `"${bare}" is not a valid name`;
  if (problem !== undefined)
    throw new DeepwaterTypeError(`${where}: invalid shm name ${JSON.stringify(name)}: ${problem}`);
  return bare;
}
