import { closeSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unlinkRing } from '@deepwater/ring';
import { openNoFollow } from '../platform/base-fs.js';
import type { FeedContext } from '../platform/feed-context.js';
import { FEEDS_DIR } from '../platform/feed-store.js';
import { writeFileAtomic } from '../registry/atomic-file.js';
import { realBasePath, ringShmNameFor } from './ring-name.js';

/**
 * `<feedDir>/ring.json` — `{"shmName": …, "basePath": …}`: the shm object a writer of this feed
 * created and the base's real path at the time. The ring name is derived from the base's real path,
 * so a renamed or moved base derives a new name; this record is how the old object is found again
 * and removed (at the next writer start and by deleteFeed) instead of being left in /dev/shm.
 */
export const RING_RECORD_FILE = 'ring.json';

interface RingRecord {
  shmName: string;
  basePath: string;
}

/** The record, or undefined when it is missing, unreadable or not one this code wrote. */
function readRingRecord(feedDir: string, feed: string): RingRecord | undefined {
  let text: string;
  try {
    const fd = openNoFollow(join(feedDir, RING_RECORD_FILE), constants.O_RDONLY, feed);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as Partial<RingRecord>;
    if (typeof record.shmName !== 'string' || typeof record.basePath !== 'string') return undefined;
    // Only a name this feed's ring had at that base: a record edited to name another object is ignored.
    if (record.shmName !== ringShmNameFor(record.basePath, feed)) return undefined;
    return { shmName: record.shmName, basePath: record.basePath };
  } catch {
    return undefined;
  }
}

/** Records the ring's name before its writer creates it (so a crash never leaves an unrecorded ring). */
export function recordRingName(ctx: FeedContext, shmName: string): void {
  const basePath = realBasePath(ctx.basePath);
  const current = readRingRecord(ctx.feedDir, ctx.feedName);
  if (current?.shmName === shmName && current.basePath === basePath) return;
  writeFileAtomic(
    join(ctx.feedDir, RING_RECORD_FILE),
    `${JSON.stringify({ shmName, basePath })}\n`,
    ctx.fileMode,
  );
}

/**
 * Unlinks the ring a moved base left under its old name, unless a base still at the old path
 * records it (a copy of this base, which keeps using it). Call with the feed's writer lock held.
 * Returns the name removed, if any.
 */
export function removeMovedRing(ctx: FeedContext, shmName: string): string | undefined {
  const recorded = readRingRecord(ctx.feedDir, ctx.feedName);
  if (recorded === undefined || recorded.shmName === shmName) return undefined;
  const oldFeedDir = join(recorded.basePath, FEEDS_DIR, ctx.feedName);
  if (readRingRecord(oldFeedDir, ctx.feedName)?.shmName === recorded.shmName) return undefined;
  return unlinkRing(recorded.shmName) ? recorded.shmName : undefined;
}
