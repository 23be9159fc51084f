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

/** Wraps a no-space failure of `what` in a NoSpaceError naming the feed and path; rethrows anything else. */
export function rethrowNoSpace(
  error: unknown,
  feed: string | undefined,
  what: string,
  writtenRecords = 0,
): never {
  if (!isNoSpace(error)) throw error;
  const path = (error as { path?: string }).path;
  const code = (error as { code: string }).code;
  const where = feed === undefined ? '' : `Feed "${feed}": `;
  throw new NoSpaceError(
    `${where}no space to ${what}${path === undefined ? '' : ` (${path})`}: ${code}; free space and retry`,
    writtenRecords,
    { ...(feed === undefined ? {} : { feed }), ...(path === undefined ? {} : { path }), cause: error },
  );
}

/** Runs `action`, turning a no-space failure into a NoSpaceError (see rethrowNoSpace). */
export function withNoSpaceError<T>(feed: string | undefined, what: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    rethrowNoSpace(error, feed, what);
  }
}
