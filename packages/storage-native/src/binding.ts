// The only module that loads the compiled addon; everything else imports its typed surface.
import { constants } from 'node:buffer';
import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import { loadAddon } from './addon-loader.js';
import { MappingClosedError, NativeError } from './errors.js';

/**
 * madvise advices by name. 'populate-read' (MADV_POPULATE_READ) maps the range's pages in, readable,
 * in one call instead of one page fault per first touch; 'populate-write' (MADV_POPULATE_WRITE) the
 * same, writable (a writer about to fill the range takes no fault per page). Both are no-ops on
 * kernels before 5.14. A range past the end of the file, or a page the file system cannot back
 * (a full tmpfs under a sparse file), fails with EFAULT (a JS error, never SIGBUS).
 * 'hugepage' / 'nohugepage' (MADV_HUGEPAGE / MADV_NOHUGEPAGE): whether page faults in the range may
 * bring in huge folios (of a file: page-cache folios of up to 2 MiB, which later mappings of the
 * file map a page-table entry per folio); no-ops on kernels without transparent huge pages.
 */
export type MadviseAdvice =
  | 'normal'
  | 'random'
  | 'sequential'
  | 'willneed'
  | 'dontneed'
  | 'populate-read'
  | 'populate-write'
  | 'hugepage'
  | 'nohugepage';
export type FutexWaitResult = 'ok' | 'timed-out' | 'not-equal';

/** Native half of a Mapping (native/mapping.cc). */
export interface MappingHandle {
  readonly size: number;
  readonly closed: boolean;
  buffer(): ArrayBuffer;
  msync(offset?: number, length?: number): void;
  msyncAsync(offset?: number, length?: number): Promise<void>;
  prefaultAsync(offset?: number, length?: number): Promise<void>;
  populateReadAsync(offset?: number, length?: number): Promise<void>;
  madvise(advice: MadviseAdvice, offset?: number, length?: number): void;
  close(): void;
}

/** Native half of a FileLock (native/lock.cc). */
export interface FileLockHandle {
  readonly released: boolean;
  release(): void;
}

export interface DiskSpace {
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
}

/** The C heap's own accounting (glibc mallinfo2). */
export interface MallocStats {
  /** Bytes malloc has handed out and not had back: what a leak grows. */
  inUseBytes: number;
  /** Bytes malloc has had back but keeps in its arenas (fragmentation grows this, and RSS with it). */
  freeBytes: number;
  /** Bytes of large allocations malloc mapped on their own (included in inUseBytes). */
  mmappedBytes: number;
}

interface NativeBinding {
  /** NAPI_VERSION the addon was compiled against (binding.gyp). */
  readonly napiVersion: number;
  setNativeErrorClass(errorClass: typeof NativeError): void;
  setMisuseErrorClasses(
    typeErrorClass: typeof DeepwaterTypeError,
    rangeErrorClass: typeof DeepwaterRangeError,
    mappingClosedErrorClass: typeof MappingClosedError,
  ): void;
  setMaxExternalLength(bytes: number): void;
  mapFile(
    path: string,
    size: number | undefined,
    create: boolean,
    readOnly: boolean,
    noFollow: boolean,
    mode: number | undefined,
  ): MappingHandle;
  openShm(
    name: string,
    size: number | undefined,
    create: boolean,
    exclusive: boolean,
    readOnly: boolean,
    mode: number | undefined,
    mustOwn: boolean,
  ): MappingHandle;
  unlinkShm(name: string): boolean;
  shmExists(name: string): boolean;
  tryLockFile(path: string, noFollow: boolean, mode: number | undefined): FileLockHandle | null;
  lockHolder(path: string): number | null;
  futexWait(buffer: ArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): FutexWaitResult;
  futexWaitAsync(
    buffer: ArrayBuffer,
    byteOffset: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult>;
  futexWake(buffer: ArrayBuffer, byteOffset: number, count?: number): number;
  nowMicros(): number;
  nowNanos(): bigint;
  mallocStats(): MallocStats | undefined;
  fsyncPath(path: string): void;
  fsyncFd(fd: number): void;
  diskSpace(path: string): DiskSpace;
  allocateBuffer(byteLength: number, threads: number): ArrayBuffer;
  copyBytes(
    target: ArrayBuffer | ArrayBufferView,
    targetOffset: number,
    source: ArrayBuffer | ArrayBufferView,
    sourceOffset: number,
    byteLength: number,
    threads: number,
  ): void;
  /** Optional: an addon built before it lacks it (packages/ring falls back to a JS loop). */
  copyStrided?(
    target: ArrayBuffer | ArrayBufferView,
    targetOffset: number,
    targetStride: number,
    source: ArrayBuffer | ArrayBufferView,
    sourceOffset: number,
    sourceStride: number,
    recordSize: number,
    count: number,
  ): void;
  /** Absent on big-endian hosts (native/gather.cc). */
  gatherFields?(
    source: ArrayBuffer | ArrayBufferView,
    sourceOffset: number,
    stride: number,
    count: number,
    fields: ReadonlyArray<{ offset: number; kind: number; target: ArrayBufferView }>,
    targetIndex: number,
    threads: number,
  ): number;
  /** Absent on big-endian hosts (native/gather.cc). */
  scatterFields?(
    target: ArrayBuffer | ArrayBufferView,
    targetOffset: number,
    stride: number,
    count: number,
    fields: ReadonlyArray<{ offset: number; kind: number; source: ArrayBufferView }>,
    sourceIndex: number,
  ): number;
  /** Absent on big-endian hosts (native/gather.cc). */
  copyRecordsOrdered?(
    target: ArrayBuffer | ArrayBufferView,
    targetOffset: number,
    source: ArrayBuffer | ArrayBufferView,
    sourceOffset: number,
    count: number,
    recordSize: number,
    tsOffset: number,
    signed: boolean,
  ): number;
}

/**
 * The largest mapping (or allocateBuffer) this Node can expose as one ArrayBuffer:
 * buffer.constants.MAX_LENGTH, 4 GiB on Node 20. Larger sizes are a RangeError before anything
 * is created or grown.
 */
export const MAX_MAPPING_BYTES: number = constants.MAX_LENGTH;

const loaded = loadAddon<NativeBinding>();
loaded.addon.setNativeErrorClass(NativeError);
loaded.addon.setMisuseErrorClasses(DeepwaterTypeError, DeepwaterRangeError, MappingClosedError);
loaded.addon.setMaxExternalLength(MAX_MAPPING_BYTES);

export const binding: NativeBinding = loaded.addon;

/** Which build of the addon this process loaded: a source build or the shipped prebuild. */
export const nativeAddon: { readonly path: string; readonly napiVersion: number } = Object.freeze({
  path: loaded.path,
  napiVersion: loaded.addon.napiVersion,
});
