import { DeepwaterError, type DeepwaterErrorCode } from '@deepwater/errors';

/**
 * Base of every domain error raised by the ring; `code` is stable, `ring` names the shm object.
 * A DeepwaterError (@deepwater/errors), like every error of every Deepwater package.
 */
export class RingError extends DeepwaterError {
  readonly ring: string | undefined;

  constructor(
    code: DeepwaterErrorCode,
    message: string,
    options: { ring?: string; path?: string; pid?: number; cause?: unknown } = {},
  ) {
    const { ring, ...context } = options;
    super(code, message, context);
    this.name = 'RingError';
    this.ring = ring;
  }
}

/** A reader was lapped by the writer and was created with `onOverrun: 'throw'`. Its cursor has
 * already moved to the oldest valid record, so catching this and reading again continues there. */
export class RingOverrunError extends RingError {
  /** Records skipped by this overrun. */
  readonly lost: number;
  /** Records this reader has lost in total, including this overrun. */
  readonly totalLost: number;

  constructor(ring: string, lost: number, totalLost: number) {
    super(
      'ERR_OVERRUN',
      `Ring "${ring}": reader was overrun by the writer and skipped ${lost} record(s) ` +
        `(${totalLost} lost in total); it continues at the oldest valid record`,
      { ring },
    );
    this.name = 'RingOverrunError';
    this.lost = lost;
    this.totalLost = totalLost;
  }
}

/**
 * A second writer tried to attach while another handle holds the ring's writer lock. `pid` is the
 * holder's, or undefined when the lock file does not say; `path` and `lockPath` name the lock file.
 */
export class RingLockedError extends RingError {
  readonly lockPath: string;

  constructor(ring: string, lockPath: string, pid: number | null | undefined) {
    const holder = pid === null || pid === undefined ? 'another writer' : `the writer with pid ${pid}`;
    super('ERR_WRITER_LOCKED', `Ring "${ring}" is locked by ${holder} (lock file ${lockPath})`, {
      ring,
      path: lockPath,
      ...(pid === null || pid === undefined ? {} : { pid }),
    });
    this.name = 'RingLockedError';
    this.lockPath = lockPath;
  }
}

/** The shm object exists but is not a ring this code can use (version, geometry, size). */
export class RingLayoutError extends RingError {
  constructor(ring: string, message: string) {
    super('ERR_RING_LAYOUT', `Ring "${ring}": ${message}`, { ring });
    this.name = 'RingLayoutError';
  }
}

/**
 * The shared-memory object at the ring's name is not one a writer of ours created: another user
 * owns it, or it is empty, too small or has no ring header. Nothing in it is trusted or changed.
 */
export class RingForeignError extends RingError {
  declare readonly path: string;

  constructor(ring: string, problem: string, cause?: unknown) {
    const path = `/dev/shm/${ring.startsWith('/') ? ring.slice(1) : ring}`;
    super(
      'ERR_RING_FOREIGN',
      `Ring "${ring}": the shared-memory object ${path} ${problem}, so it is not a ring this writer can ` +
        `use; if nothing needs it, remove it (rm ${path}) and start the writer again`,
      { ring, path, cause },
    );
    this.name = 'RingForeignError';
  }
}

/** Operations on a closed writer or reader. */
export class RingClosedError extends RingError {
  constructor(ring: string, what: 'writer' | 'reader') {
    super('ERR_CLOSED', `Ring "${ring}": the ${what} is closed`, { ring });
    this.name = 'RingClosedError';
  }
}
