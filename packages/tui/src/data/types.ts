/**
 * The dashboard's own view of a base, normalised from whatever the sdk reports. Every field the sdk
 * may not provide (yet) is `null`, and the views render `null` as '—' rather than guessing.
 * Timestamps are microseconds since the epoch.
 */

/** One ring reader cursor (a stream or a reader's readAvailable), as it last announced itself. */
export interface RingReaderSnapshot {
  pid: number | null;
  /** Records the reader is behind the writer's head. */
  lagRecords: number | null;
  /** Records the writer overwrote before this reader could copy them. */
  lostRecords: number | null;
  /** Wall-clock µs of a recent poll by the reader (the sdk refreshes it every ~1024 polls + records). */
  heartbeatUs: number | null;
}

export interface RingSnapshot {
  /** Slots in the ring. */
  capacity: number | null;
  /** Records the ring currently holds (≤ capacity). */
  fillRecords: number | null;
  /** Times the writer went around the ring. */
  wraps: number | null;
  /** Size of the shared-memory object (header + slots). */
  shmBytes: number | null;
  /** null when the sdk does not report ring readers (an empty list means none are attached). */
  readers: RingReaderSnapshot[] | null;
  /** Sum of lostRecords over the readers that report it. */
  lostRecords: number | null;
}

export interface ChunkSnapshot {
  id: number;
  state: string;
  firstTs: number | null;
  lastTs: number | null;
  records: number;
  bytes: number | null;
}

export interface FeedSnapshot {
  name: string;
  persist: boolean;
  mode: string;
  recordSize: number;
  fmt: string | null;
  /** Total records ever published: the counter rates are computed from. */
  records: number;
  firstTs: number | null;
  lastTs: number | null;
  chunkCount: number | null;
  bytesOnDisk: number | null;
  /** 0 means keep forever. */
  retentionHours: number | null;
  writerPid: number | null;
  /** Wall-clock µs of the writer's last publication, when the sdk keeps it. */
  lastAppendUs: number | null;
  chunks: ChunkSnapshot[];
  ring: RingSnapshot | null;
  /** Set when this feed's status could not be read this round (the others still are). */
  error: string | null;
}

export interface StorageSnapshot {
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
}

export interface BaseSnapshot {
  basePath: string;
  /** Wall-clock µs when the snapshot was taken: every age is relative to this. */
  takenAtUs: number;
  feeds: FeedSnapshot[];
  storage: StorageSnapshot;
  /** Set when the base itself could not be read. */
  error: string | null;
  /** The status files of NATS bridges replicating from or mirroring into this base (none when absent). */
  bridges?: BridgeSnapshot[];
}

/** One `deepwater-bridge` status file (`<base>/.bridge/*.status.json`), as it was last written. */
export interface BridgeSnapshot {
  path: string;
  role: 'replicate' | 'mirror' | null;
  feed: string | null;
  stream: string | null;
  /** 'running' | 'retrying' | 'stopped' | 'failed' as the bridge wrote it; null from an older bridge. */
  state: string | null;
  pid: number | null;
  /** Everything before this seq is in the target (the stream, or the mirror's feed). */
  nextSeq: number | null;
  records: number | null;
  recordsBehind: number | null;
  secondsBehind: number | null;
  recordsPerSecond: number | null;
  reconnects: number | null;
  retries: number | null;
  lostRecords: number | null;
  /** Wall-clock µs of the bridge's last rewrite of the file. */
  updatedAtUs: number | null;
  /** How often the bridge rewrites the file: what "stale" is measured against. */
  statusEveryMs: number | null;
  lastError: string | null;
  /** Set when the file could not be read or parsed. */
  error: string | null;
}

export interface FieldInfo {
  name: string;
  type: string;
  offset: number | null;
  size: number | null;
  /** Names of the field's values (feed spec `labels`): shown instead of the number. */
  labels?: Readonly<Record<string, string>>;
}

export interface FeedSchema {
  fmt: string | null;
  recordSize: number;
  tsCol: string | null;
  fields: FieldInfo[];
}

/**
 * Where the dashboard gets its numbers. Implementations read shared state only (registries, ring
 * headers): they never ask the writer anything, so a dashboard can never slow a writer down.
 */
export interface StatusSource {
  readonly basePath: string;
  /** Wall-clock µs, the clock every age and latency is measured with (a fake source fakes it). */
  clockUs(): number;
  /** One consistent-enough look at every feed; called by the poller a few times per second. */
  snapshot(): BaseSnapshot;
  schema(feed: string): FeedSchema;
  /** The newest `count` records of a feed, decoded as objects, oldest first. */
  latestRecords(feed: string, count: number, recordsPerSecondHint: number | null): Record<string, unknown>[];
  close(): void;
}
