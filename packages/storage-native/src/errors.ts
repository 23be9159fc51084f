import { DeepwaterError, type SystemErrorCode } from '@deepwater/errors';

/** What the addon passes when it builds a NativeError (see native/errors.cc). */
export interface NativeErrorInit {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
  /** strerror() text, or a more specific explanation. */
  description?: string;
}

/**
 * Every failed system call: `code` is the errno name ('ENOENT'), `errno` its number, `syscall`
 * the call that failed and `path` the file or shm object it was about.
 * Message: `open '/x/y': ENOENT (No such file or directory)`. A DeepwaterError (@deepwater/errors).
 */
export class NativeError extends DeepwaterError {
  declare readonly code: SystemErrorCode;
  readonly errno: number;
  readonly syscall: string;

  constructor(init: NativeErrorInit) {
    const where = init.path === undefined ? init.syscall : `${init.syscall} '${init.path}'`;
    super(
      init.code as SystemErrorCode,
      `${where}: ${init.code}${init.description ? ` (${init.description})` : ''}`,
      init.path === undefined ? {} : { path: init.path },
    );
    this.name = 'NativeError';
    this.errno = init.errno;
    this.syscall = init.syscall;
  }
}

/** Using a Mapping after close(): its memory is gone, so this is an error and never a crash. */
export class MappingClosedError extends DeepwaterError {
  declare readonly path: string;

  constructor(path: string, operation: string) {
    super('ERR_MAPPING_CLOSED', `${operation}: the mapping of '${path}' is closed`, { path });
    this.name = 'MappingClosedError';
  }
}
