import { DeepwaterTypeError } from '@deepwater/errors';
import { binding, type MadviseAdvice, type MappingHandle } from './binding.js';
import { MappingClosedError } from './errors.js';
import { checkBoolean, checkMode, checkOptionNames, checkPath, checkSize } from './options.js';

export type { MadviseAdvice } from './binding.js';

export interface MapFileOptions {
  /** Bytes to map; default: the whole file. */
  size?: number;
  /** Create the file (0644) if missing and grow it to `size` if smaller. Never shrinks. */
  create?: boolean;
  /** Map PROT_READ: writing through the buffer then segfaults, so only for pure readers. */
  readOnly?: boolean;
  /** Refuse (NativeError ELOOP) when `path` itself is a symbolic link (O_NOFOLLOW). */
  noFollow?: boolean;
  /**
   * Permission bits (0..0o777) of a file this call creates, applied with fchmod so the umask does
   * not change them; an existing file keeps its mode. Default: 0644 less the umask.
   */
  mode?: number;
}

/**
 * Mapping — a MAP_SHARED view of a file or shm object as ONE external ArrayBuffer. Not
 * thread-safe: use it from the thread that created it. Other processes mapping the same
 * file see every write at once (same page cache); msync() only makes writes durable.
 */
export class Mapping implements Disposable {
  /** File path, or '/dev/shm/<name>' for shared memory. */
  readonly path: string;
  readonly kind: 'file' | 'shm';
  /** Bytes mapped. */
  readonly size: number;
  readonly readOnly: boolean;
  readonly #handle: MappingHandle;
  #buffer: ArrayBuffer | undefined;

  /** @internal Use mapFile() or openShm(); the handle only comes from the addon. */
  constructor(handle: MappingHandle, path: string, kind: 'file' | 'shm', readOnly: boolean) {
    this.#handle = handle;
    this.path = path;
    this.kind = kind;
    this.size = handle.size;
    this.readOnly = readOnly;
  }

  get closed(): boolean {
    return this.#handle.closed;
  }

  /**
   * The mapping as one external ArrayBuffer, created once and cached: two V8 backing stores
   * over the same address crash V8. Detached by close().
   */
  get buffer(): ArrayBuffer {
    if (this.#buffer !== undefined) return this.#buffer;
    this.#assertOpen('buffer');
    this.#buffer = this.#handle.buffer();
    return this.#buffer;
  }

  /** msync(MS_SYNC) of [offset, offset + length); offset is aligned down to a page internally. */
  msync(offset?: number, length?: number): void {
    this.#assertOpen('msync');
    this.#handle.msync(offset, length);
  }

  /** msync on a libuv threadpool thread; the memory stays mapped until it finishes, even if closed. */
  msyncAsync(offset?: number, length?: number): Promise<void> {
    try {
      this.#assertOpen('msyncAsync');
      return this.#handle.msyncAsync(offset, length);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Faults the range's pages in, writable, on a libuv threadpool thread
   * (madvise MADV_POPULATE_WRITE): a writer that asks for the pages ahead of its position never
   * takes a page fault — with a file system's block allocation, up to milliseconds here — on its
   * own store. Changes no data. Resolves without effect on kernels before 5.14.
   */
  prefaultAsync(offset?: number, length?: number): Promise<void> {
    try {
      this.#assertOpen('prefaultAsync');
      if (this.readOnly) {
        throw new DeepwaterTypeError(`prefaultAsync: the mapping of '${this.path}' is read-only`);
      }
      return this.#handle.prefaultAsync(offset, length);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Maps the range's pages in, readable, on a libuv threadpool thread (madvise
   * MADV_POPULATE_READ): a reader about to read the range sequentially finds its page tables
   * filled instead of taking a page fault per first touch (or a synchronous populate) on its own
   * thread. The memory stays mapped until it finishes, even if closed. Changes no data; resolves
   * without effect on kernels before 5.14; a file truncated meanwhile rejects (EFAULT).
   */
  populateReadAsync(offset?: number, length?: number): Promise<void> {
    try {
      this.#assertOpen('populateReadAsync');
      return this.#handle.populateReadAsync(offset, length);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  madvise(advice: MadviseAdvice, offset?: number, length?: number): void {
    this.#assertOpen('madvise');
    if (advice === 'populate-write' && this.readOnly) {
      throw new DeepwaterTypeError(`madvise('populate-write'): the mapping of '${this.path}' is read-only`);
    }
    this.#handle.madvise(advice, offset, length);
  }

  /**
   * Detaches the ArrayBuffer (every TypedArray over it then has length 0) BEFORE munmap, so JS
   * can never touch unmapped memory. Idempotent.
   */
  close(): void {
    this.#handle.close();
    this.#buffer = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(operation: string): void {
    if (this.#handle.closed) throw new MappingClosedError(this.path, operation);
  }
}

/**
 * Maps `size` bytes of a file MAP_SHARED (default: the whole file). With create, the file is
 * created (0644) if missing and grown with ftruncate to `size` if smaller; a file is NEVER
 * shrunk. Without create a missing file throws NativeError ENOENT, and a size beyond the end
 * of the file throws a RangeError (touching it would raise SIGBUS).
 */
export function mapFile(path: string, options: MapFileOptions = {}): Mapping {
  const where = `mapFile(${JSON.stringify(path)})`;
  checkPath('mapFile', path);
  checkOptionNames(where, options, ['size', 'create', 'readOnly', 'noFollow', 'mode']);
  const size = checkSize(where, options.size);
  const create = checkBoolean(where, 'create', options.create);
  const readOnly = checkBoolean(where, 'readOnly', options.readOnly);
  const noFollow = checkBoolean(where, 'noFollow', options.noFollow);
  const mode = checkMode(where, options.mode);
  if (create && readOnly) throw new DeepwaterTypeError(`${where}: create and readOnly cannot be combined`);
  const handle = binding.mapFile(path, size, create, readOnly, noFollow, mode);
  return new Mapping(handle, path, 'file', readOnly);
}
