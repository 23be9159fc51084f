import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Mounting a tmpfs (a real, small, fillable file system) needs root; tests skip without it. */
export const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('skipping full-disk tests: mounting a tmpfs needs root');

/**
 * `mount(sizeBytes)` mounts a fresh tmpfs of that size on a temp directory and returns it; every
 * mount of the test is unmounted (lazily, in case something still has it open) and removed after
 * the test, pass or fail.
 */
export function useTmpfs(): (sizeBytes: number) => string {
  const mounted: string[] = [];
  afterEach(() => {
    for (const dir of mounted.splice(0)) {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
  return (sizeBytes) => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir]);
    mounted.push(dir);
    return dir;
  };
}
