import { statfsSync } from 'node:fs';
import type { StorageSnapshot } from './types.js';

/** Free space as an unprivileged writer sees it (bavail, not bfree: root's reserve is not ours). */
export function diskSpace(path: string): StorageSnapshot {
  try {
    const s = statfsSync(path);
    return { diskFreeBytes: s.bavail * s.bsize, diskTotalBytes: s.blocks * s.bsize };
  } catch {
    return { diskFreeBytes: null, diskTotalBytes: null };
  }
}
