// Resource samples of one process from /proc: resident memory (anonymous, file-backed, shared),
// open file descriptors and memory mappings. Leaks of any of them show as growth over a soak.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcSample {
  /** Seconds since the soak started. */
  atS: number;
  rssAnonKiB: number;
  rssFileKiB: number;
  rssShmemKiB: number;
  fds: number;
  maps: number;
}

function statusKiB(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? 0 : Number(match[1]);
}

/** One sample of `pid`, or undefined when the process is gone (it may exit between listing and reading). */
export function sampleProcess(pid: number, atS: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    return {
      atS,
      rssAnonKiB: statusKiB(status, 'RssAnon'),
      rssFileKiB: statusKiB(status, 'RssFile'),
      rssShmemKiB: statusKiB(status, 'RssShmem'),
      fds: readdirSync(`/proc/${pid}/fd`).length,
      maps: maps.length === 0 ? 0 : maps.trimEnd().split('\n').length,
    };
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ESRCH'
    )
      return undefined;
    throw error;
  }
}

export function rssKiB(s: ProcSample): number {
  return s.rssAnonKiB + s.rssFileKiB + s.rssShmemKiB;
}
