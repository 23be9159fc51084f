import { RingReader, ringByteLength } from '@deepwater/ring';
import { lockHolder } from '@deepwater/storage-native';
import type { FeedContext } from '../platform/feed-context.js';
import { ringGeometry } from './ring-geometry.js';
import { ringShmName } from './ring-name.js';
import { type RingReaderEntry, RingReadersTable } from './ring-readers-table.js';

/** One live ring reader cursor (a stream() or a reader's readAvailable()), as it last announced itself. */
export interface RingReaderStatus {
  pid: number;
  kind: 'stream' | 'readAvailable';
  /**
   * Next record the cursor hands out (a ring sequence, comparable with recordsWritten when the
   * ring's first sequence is 0); null while the ring does not exist yet.
   */
  sequence: number | null;
  /**
   * Records published that this cursor has not handed out yet: published − sequence, as of its
   * last announcement (once per batch of up to 256 records, or per poll while idle). Above
   * `capacity` means the writer is lapping it and the excess will be lost.
   */
  lagRecords: number;
  /** Records this cursor skipped because the writer overwrote them first. */
  lostRecords: number;
  /** Wall clock of a recent poll by the cursor (within 1024 polls + records, and at every park). */
  heartbeatUs: number;
  openedUs: number;
}

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
  /**
   * Open stream()/readAvailable() cursors of live processes, most lagging first. A cursor of a
   * process that died (even by SIGKILL) is not listed; range()/latest() keep no cursor.
   */
  readers: RingReaderStatus[];
  /** Sum of lostRecords over `readers` (losses of closed cursors are not kept). */
  lostRecords: number;
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
    readers: [],
    lostRecords: 0,
  };
  const entries = announcedCursors(ctx);
  const reader = RingReader.tryOpen(shmName);
  if (reader === null) {
    fillReaders(status, entries, null, 0);
    return status;
  }
  try {
    const published = reader.published();
    const oldest = reader.oldest();
    status.exists = true;
    status.capacity = reader.capacity;
    status.bytes = ringByteLength(reader);
    status.recordsWritten = published - reader.firstSequence;
    status.recordsHeld = Math.max(0, published - oldest);
    status.wraps = Math.floor(published / reader.capacity);
    status.oldestSequence = oldest;
    status.firstTs = published > oldest ? reader.timestampAt(oldest) : null;
    status.lastTs = published > oldest ? reader.timestampAt(published - 1) : null;
    fillReaders(status, entries, reader.firstSequence, published);
    return status;
  } finally {
    reader.close();
  }
}

function announcedCursors(ctx: FeedContext): RingReaderEntry[] {
  const table = RingReadersTable.openExisting(ctx.feedDir, ctx.feedName);
  if (table === null) return [];
  try {
    return table.list();
  } finally {
    table.close();
  }
}

/**
 * `firstSequence` null = no ring yet: every cursor waits for it and lags nothing. A cursor that has
 * not attached yet will start at the ring's first sequence, so that is where it stands.
 */
function fillReaders(
  status: RingStatus,
  entries: readonly RingReaderEntry[],
  firstSequence: number | null,
  published: number,
): void {
  for (const entry of entries) {
    const sequence = entry.sequence ?? firstSequence;
    status.readers.push({
      pid: entry.pid,
      kind: entry.kind,
      sequence,
      lagRecords: sequence === null ? 0 : Math.max(0, published - sequence),
      lostRecords: entry.lostRecords,
      heartbeatUs: entry.heartbeatUs,
      openedUs: entry.openedUs,
    });
    status.lostRecords += entry.lostRecords;
  }
  status.readers.sort((a, b) => b.lagRecords - a.lagRecords || a.pid - b.pid);
}
