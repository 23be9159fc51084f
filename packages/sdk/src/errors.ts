/**
 * Errors of the sdk. Every one is a DeepwaterError from @deepwater/errors, the one class every
 * Deepwater package's errors extend (ring, schema-wasm and storage-native included), so
 * `instanceof DeepwaterError` holds for all of them. Callers branch on `code` (stable), never on the
 * message. Misuse (bad arguments, bad values) throws DeepwaterTypeError/DeepwaterRangeError: still
 * a TypeError/RangeError, with code ERR_INVALID_ARGUMENT/ERR_OUT_OF_RANGE, and also
 * `instanceof DeepwaterError`.
 */
import { DeepwaterError, type DeepwaterErrorContext } from '@deepwater/errors';

export {
  DeepwaterError,
  type DeepwaterErrorCode,
  type DeepwaterErrorContext,
} from '@deepwater/errors';

/** A ring reader was lapped by the writer and was asked (onOverrun: 'throw') not to skip silently. */
export class OverrunError extends DeepwaterError {
  readonly lostRecords: number;

  constructor(message: string, lostRecords: number, context: DeepwaterErrorContext = {}) {
    super('ERR_OVERRUN', message, context);
    this.name = 'OverrunError';
    this.lostRecords = lostRecords;
  }
}

/**
 * The base path is missing or unusable: checkHealth cannot say anything (exit 2, not 1), and
 * `new Platform(path)` cannot create or open it (a file in the way, no permission); `cause` is the
 * system error.
 */
export class BaseUnavailableError extends DeepwaterError {
  constructor(message: string, path?: string, cause?: unknown) {
    super('ERR_BASE_UNAVAILABLE', message, {
      ...(path === undefined ? {} : { path }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'BaseUnavailableError';
  }
}

/**
 * ERR_WRITER_LOCKED: the one message for every refusal caused by a feed's writer lock (a second
 * writer, deleteFeed, discarding or re-creating a feed's files). `action` is what was refused.
 */
export function writerLockedError(
  feed: string,
  path: string,
  pid: number | null | undefined,
  action = 'open a second writer',
  cause?: unknown,
): DeepwaterError {
  const holder = pid === null || pid === undefined ? '' : ` (pid ${pid})`;
  return new DeepwaterError(
    'ERR_WRITER_LOCKED',
    `Feed "${feed}" already has a writer${holder}; cannot ${action} while it is open (one writer per feed; lock ${path})`,
    {
      feed,
      path,
      ...(holder === '' ? {} : { pid: pid as number }),
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

export function closedError(feed: string, what: string): DeepwaterError {
  return new DeepwaterError('ERR_CLOSED', `Feed "${feed}": ${what} is closed`, { feed });
}

/** errno codes that mean "the file system has no room for this": space, quota, file size limit. */
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** True for a NativeError or fs error reporting that space could not be reserved or written. */
export function isNoSpace(error: unknown): boolean {
  return NO_SPACE_CODES.has((error as { code?: unknown } | null)?.code as string);
}

/** True for an mmap ENOMEM, or an allocation that failed next to it (native std::bad_alloc). */
export function isOutOfMemory(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ENOMEM' || (typeof message === 'string' && message.includes('bad_alloc'));
}

/**
 * The disk or /dev/shm is full: space for a chunk, registry, table or ring could not be reserved.
 * Files and shm objects are reserved whole when created (fallocate), so this surfaces at creation
 * or rotation, never as SIGBUS inside a mapping. Nothing already written is affected, and the
 * object that raised it stays usable: retry once space is freed. `writtenRecords` is how many
 * records of the failing call were written (and are readable) before it stopped: 0, except for a
 * writeBatch that filled a chunk part-way, whose remaining rows are `rows.slice(writtenRecords)`.
 */
export class NoSpaceError extends DeepwaterError {
  readonly writtenRecords: number;

  constructor(message: string, writtenRecords: number, context: DeepwaterErrorContext = {}) {
    super('ERR_NO_SPACE', message, context);
    this.name = 'NoSpaceError';
    this.writtenRecords = writtenRecords;
  }
}

/**
 * The process is out of memory, address space or mappings (vm.max_map_count): a chunk, ring,
 * registry or output buffer could not be mapped or allocated. Like NoSpaceError, nothing already
 * written is affected and the object that raised it stays usable; `writtenRecords` as there.
 */
export class NoMemoryError extends DeepwaterError {
  readonly writtenRecords: number;

  constructor(message: string, writtenRecords: number, context: DeepwaterErrorContext = {}) {
    super('ERR_NO_MEMORY', message, context);
    this.name = 'NoMemoryError';
    this.writtenRecords = writtenRecords;
  }
}

/** What an operator can do about ERR_NO_MEMORY, the end of its every message. */
export const NO_MEMORY_ADVICE =
  'the process is out of memory, address space or mappings (vm.max_map_count): ' +
  'close readers, lower configureMappingBudget() or read smaller ranges';

/**
 * Wraps a failure of `what` for lack of space (NoSpaceError) or memory (NoMemoryError) in an error
 * naming the feed and path; rethrows anything else unchanged.
 */
export function rethrowResourceError(
  error: unknown,
  feed: string | undefined,
  what: string,
  writtenRecords = 0,
): never {
  const noSpace = isNoSpace(error);
  if (!noSpace && !isOutOfMemory(error)) throw error;
  const reported = (error as { path?: string }).path;
  // storage-native names an anonymous allocation's "path" (anonymous): not a file to show.
  const path = reported === '(anonymous)' ? undefined : reported;
  const where = feed === undefined ? '' : `Feed "${feed}": `;
  const file = path === undefined ? '' : ` (${path})`;
  const context = {
    ...(feed === undefined ? {} : { feed }),
    ...(path === undefined ? {} : { path }),
    cause: error,
  };
  if (noSpace) {
    const code = (error as { code: string }).code;
    throw new NoSpaceError(
      `${where}no space to ${what}${file}: ${code}; free space and retry`,
      writtenRecords,
      context,
    );
  }
  throw new NoMemoryError(
    `${where}cannot ${what}${file}: ${(error as Error).message}; ${NO_MEMORY_ADVICE}`,
    writtenRecords,
    context,
  );
}

/** Runs `action`, turning a lack of space or memory into a NoSpaceError or NoMemoryError (see rethrowResourceError). */
export function withResourceError<T>(feed: string | undefined, what: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    rethrowResourceError(error, feed, what);
  }
}
