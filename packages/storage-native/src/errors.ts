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
 * Message: `open '/x/y': ENOENT (No such file or directory)`.
 */
export class NativeError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  readonly path?: string;

  constructor(init: NativeErrorInit) {
    const where = init.path === undefined ? init.syscall : `${init.syscall} '${init.path}'`;
    super(`${where}: ${init.code}${init.description ? ` (${init.description})` : ''}`);
    this.name = 'NativeError';
    this.code = init.code;
    this.errno = init.errno;
    this.syscall = init.syscall;
    if (init.path !== undefined) this.path = init.path;
  }
}

/** Using a Mapping after close(): its memory is gone, so this is an error and never a crash. */
export class MappingClosedError extends Error {
  readonly code = 'ERR_MAPPING_CLOSED';
  readonly path: string;

  constructor(path: string, operation: string) {
    super(`${operation}: the mapping of '${path}' is closed`);
    this.name = 'MappingClosedError';
    this.path = path;
  }
}
