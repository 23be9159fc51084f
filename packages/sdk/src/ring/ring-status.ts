import { HEADER_LENGTH, RingReader } from '@deepwater/ring';
import { lockHolder } from '@deepwater/storage-native';
import type { FeedContext } from '../platform/feed-context.js';
import { ringGeometry } from './ring-geometry.js';
import { ringShmName } from './ring-name.js';

/** FeedStatus.ring: computed from the ring's header, never by asking the writer. */
export interface RingStatus {
  [key: string]: unknown;
  shmName: string;
  /** False until the first writer creates the ring. */
  exists: boolean;
  capacity: number;
  recordSize: number;
  /** Size of the shm object (header + slots). */
  bytes: number;
  /** Records written since the ring was created (the publication word). */
  recordsWritten: number;
  /** Records the ring holds now (at most capacity). */
  recordsHeld: number;
  /** Times the writer has wrapped past the physical end. */
  wraps: number;
  oldestSequence: number | null;
  firstTs: number | null;
  lastTs: number | null;
  /** Pid holding the writer lock now, or null. */
  writerPid: number | null;
}

export function ringStatus(ctx: FeedContext): RingStatus {
  const shmName = ringShmName(ctx.basePath, ctx.feedName);
  const geometry = ringGeometry(ctx);
  const status: RingStatus = {
    shmName,
    exists: false,
    capacity: geometry.capacity,
    recordSize: geometry.recordSize,
    bytes: 0,
    recordsWritten: 0,
    recordsHeld: 0,
    wraps: 0,
    oldestSequence: null,
    firstTs: null,
    lastTs: null,
    writerPid: lockHolder(ctx.writerLockPath),
  };
  const reader = RingReader.tryOpen(shmName);
  if (reader === null) return status;
  try {
    const published = reader.published();
    const oldest = reader.oldest();
    status.exists = true;
    status.capacity = reader.capacity;
    status.bytes = HEADER_LENGTH + reader.capacity * reader.recordSize;
    status.recordsWritten = published - reader.firstSequence;
    status.recordsHeld = Math.max(0, published - oldest);
    status.wraps = Math.floor(published / reader.capacity);
    status.oldestSequence = oldest;
    status.firstTs = published > oldest ? reader.timestampAt(oldest) : null;
    status.lastTs = published > oldest ? reader.timestampAt(published - 1) : null;
    return status;
  } finally {
    reader.close();
  }
}
