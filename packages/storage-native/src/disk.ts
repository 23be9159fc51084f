import { binding, type DiskSpace } from './binding.js';
import { checkPath } from './options.js';

export type { DiskSpace } from './binding.js';

/** open + fsync + close. Works on directories too, which makes a create/rename in them durable. */
export function fsyncPath(path: string): void {
  checkPath('fsyncPath', path);
  binding.fsyncPath(path);
}

/** fsync of a descriptor you already hold (e.g. from fs.openSync). */
export function fsyncFd(fd: number): void {
  binding.fsyncFd(fd);
}

/** statvfs of the filesystem holding `path`: total, free (incl. root-reserved) and available bytes. */
export function diskSpace(path: string): DiskSpace {
  checkPath('diskSpace', path);
  return binding.diskSpace(path);
}
