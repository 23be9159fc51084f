import { rmSync } from 'node:fs';
import { lockHolder, shmExists, tryLockFile, unlinkShm } from '@deepwater/storage-native';
import { RingLockedError } from './errors.js';
import { defaultLockPath } from './names.js';

/** Whether the ring's shared-memory object exists (it may still be initialising). */
export function ringExists(name: string): boolean {
  return shmExists(name);
}

/**
 * Unlinks the ring; readers that still map it keep reading their copy until they close. Refuses
 * with RingLockedError while a writer holds the lock. The default lock file goes too (a lock
 * file passed as lockPath belongs to the caller). Returns whether the ring existed.
 */
export function deleteRing(name: string, options: { lockPath?: string } = {}): boolean {
  const lockPath = options.lockPath ?? defaultLockPath(name);
  const lock = tryLockFile(lockPath);
  if (lock === null) throw new RingLockedError(name, lockPath, lockHolder(lockPath));
  try {
    return unlinkShm(name);
  } finally {
    if (options.lockPath === undefined) rmSync(lockPath, { force: true });
    lock.release();
  }
}

/**
 * Unlinks the ring without taking the lock: only for a caller that already holds the writer lock
 * itself (e.g. a Platform deleting a feed). Returns whether it existed.
 */
export function unlinkRing(name: string): boolean {
  return unlinkShm(name);
}
