/** POSIX shm names may carry a leading '/'; files derived from them must not. */
export function bareShmName(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

/** Where a writer's lock lives when the caller has no better place (e.g. a feed directory). */
export function defaultLockPath(name: string): string {
  return `/dev/shm/${bareShmName(name)}.lock`;
}
