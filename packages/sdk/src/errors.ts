/**
 * Domain errors of the sdk. Callers branch on `code` (stable), never on the message.
 * Misuse (bad arguments, bad values) throws TypeError/RangeError instead.
 */
export type DeepwaterErrorCode =
  | 'ERR_FEED_NOT_FOUND'
  | 'ERR_FEED_EXISTS_CONFLICT'
  | 'ERR_WRITER_LOCKED'
  | 'ERR_FORMAT_VERSION'
  | 'ERR_CLOSED'
  | 'ERR_INVALID_SPEC'
  | 'ERR_OVERRUN'
  | 'ERR_CORRUPT'
  | 'ERR_CAPACITY'
  | 'ERR_SYMLINK'
  | 'ERR_RING_FOREIGN'
  | 'ERR_NOT_IMPLEMENTED';

export interface DeepwaterErrorContext {
  feed?: string;
  path?: string;
  pid?: number;
  cause?: unknown;
}

export class DeepwaterError extends Error {
  readonly code: DeepwaterErrorCode;
  readonly feed?: string;
  readonly path?: string;
  readonly pid?: number;

  constructor(code: DeepwaterErrorCode, message: string, context: DeepwaterErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'DeepwaterError';
    this.code = code;
    if (context.feed !== undefined) this.feed = context.feed;
    if (context.path !== undefined) this.path = context.path;
    if (context.pid !== undefined) this.pid = context.pid;
  }
}

/** A ring reader was lapped by the writer and was asked (onOverrun: 'throw') not to skip silently. */
export class OverrunError extends DeepwaterError {
  readonly lostRecords: number;

  constructor(message: string, lostRecords: number, context: DeepwaterErrorContext = {}) {
    super('ERR_OVERRUN', message, context);
    this.name = 'OverrunError';
    this.lostRecords = lostRecords;
  }
}

export function closedError(feed: string, what: string): DeepwaterError {
  return new DeepwaterError('ERR_CLOSED', `Feed "${feed}": ${what} is closed`, { feed });
}
