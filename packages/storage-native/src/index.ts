/// <reference lib="esnext.disposable" preserve="true" />
// Disposable and Symbol.dispose in the published types: kept in the emitted index.d.ts, so a
// consumer compiles them without adding lib esnext.disposable (or @types/node) itself.
// Public surface of @deepwater/storage-native: the native memory layer under every other package.

export { NativeAddonLoadError } from './addon-loader.js';
export { allocateBuffer } from './anon-buffer.js';
export { MAX_MAPPING_BYTES, nativeAddon } from './binding.js';
export { nowMicros, nowNanos } from './clock.js';
export { type DiskSpace, diskSpace, fsyncFd, fsyncPath } from './disk.js';
export { MappingClosedError, NativeError } from './errors.js';
export { type FutexWaitResult, futexWait, futexWaitAsync, futexWake } from './futex.js';
export {
  copyBytes,
  copyOrderedAvailable,
  copyRecordsOrdered,
  copyStrided,
  copyStridedAvailable,
  type GatherField,
  type GatherKind,
  gatherAvailable,
  gatherFields,
  type ScatterField,
  type ScatterKind,
  scatterAvailable,
  scatterFields,
} from './gather.js';
export { type MallocStats, mallocStats } from './heap-stats.js';
export { type FileLock, type LockFileOptions, lockHolder, tryLockFile } from './lock.js';
export { type MadviseAdvice, type MapFileOptions, Mapping, mapFile } from './mapping.js';
export type { ParallelOptions } from './options.js';
export { openShm, type ShmOptions, shmExists, shmPath, unlinkShm } from './shm.js';
