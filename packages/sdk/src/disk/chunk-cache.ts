import type { TimeIndex } from '@deepwater/schema-wasm';
import { isOutOfMemory, NO_MEMORY_ADVICE, NoMemoryError } from '../errors.js';
import { ChunkFile, type ChunkGeometry } from './chunk-file.js';
import { loadChunkIndex } from './chunk-index.js';
import { DATA_OFFSET } from './chunk-layout.js';
import { type BudgetOwner, mapEvictingOnce, mappingBudget } from './mapping-budget.js';

/**
 * Mappings kept for seeks and range reads. Mapping a chunk costs a syscall plus a page fault per
 * page first touched, and unmapping throws the page tables away: random seeks over a feed of a few
 * GB that re-map each time cost ~200 µs instead of ~3 µs. Address space is cheap on 64-bit (the
 * pages are the page cache's, shared and reclaimable), so keep up to this much mapped; past it the
 * least recently used chunk is unmapped, so a 100 GB feed is never mapped whole.
 */
export const MAPPED_BYTES_BUDGET = 4 * 1024 ** 3;
/** At least this many chunks stay mapped whatever their size (a range spans neighbours). */
const MIN_CACHED_CHUNKS = 4;
/** And at most this many, so tiny chunks never approach the kernel's limit on mappings (~65 K). */
const MAX_CACHED_CHUNKS = 256;
const CACHED_INDEXES = 64;

/**
 * Maps in the page tables of a freshly mapped chunk's committed records in one call
 * (MADV_POPULATE_READ) instead of a page fault per first touch. Random seeks over a few GB
 * otherwise fault on several pages per call: measured in a 100 M-record feed (2.4 GB), 16 421
 * faults over 100 000 seeks before, 2 388 after (the rest are the JS heap's), p90 7.5 → 2.9 µs,
 * p99.9 2.1 ms → 0.26 ms. Populating a 64 MB chunk already in the page cache costs ~10–50 ms once
 * on a loaded VM, repaid by the faults it saves. Only the committed bytes: the live chunk's
 * unwritten tail would allocate page-cache pages for nothing. A hint: a kernel without it (before
 * 5.14) ignores it, and a failure (a file truncated meanwhile) leaves the pages to fault in as
 * before; the reads that follow check what they read. A chunk not in the page cache is read whole
 * by it (one sequential read, as a replay would).
 */
function populateCommitted(chunk: ChunkFile): void {
  try {
    chunk.mapping.madvise('populate-read', 0, committedBytes(chunk));
  } catch {
    // Only a hint (see above).
  }
}

/** The header and the committed records: what populating a chunk maps in. */
function committedBytes(chunk: ChunkFile): number {
  return Math.min(chunk.mapping.size, DATA_OFFSET + chunk.committedAcquire() * chunk.recordSize);
}

/**
 * A cached mapping and when it was last used. Recency is a stamp, not a Map's insertion order:
 * re-inserting on every hit (delete + set) left a deleted slot per hit in V8's hash table, which
 * rehashed into a new old-space table every few dozen hits. On random time seeks over a 100 M-record
 * feed that garbage was most of the page faults in the timed loop (a fresh old-space page first
 * written) and the p99 tail with them. A stamp is one number store; eviction, on a miss only, scans.
 */
interface CachedChunk {
  readonly chunk: ChunkFile;
  lastUse: number;
}

/**
 * ChunkCache — a reader's few most recently used read-only chunk mappings (LRU), within the
 * process-wide MappingBudget shared by all readers.
 */
export class ChunkCache implements BudgetOwner {
  readonly #feedDir: string;
  readonly #feed: string;
  readonly #chunks = new Map<number, CachedChunk>();
  /** Recency clock: a hit stamps its entry, eviction takes the lowest stamp (see CachedChunk). */
  #clock = 0;
  #mappedBytes = 0;
  /** The most recently used chunk: a hit needs no LRU reordering. */
  #recent: ChunkFile | undefined;
  /** Chunks whose memory was handed out zero-copy: never unmapped by us, only dropped (GC unmaps). */
  readonly #escaped = new Set<ChunkFile>();
  /** Mode 'IF': persisted sparse indexes of sealed chunks (final, so cached until evicted). */
  readonly #indexes = new Map<number, TimeIndex>();
  readonly #useIndexes: boolean;
  readonly #geometry: ChunkGeometry | undefined;
  /**
   * Whether new mappings are populated (populateCommitted): only while the reader's chunks have
   * all stayed mapped. Once one is evicted the working set exceeds the budget, and populating a
   * whole chunk per re-map (~ms) would cost more than the few faults a seek takes (~µs each).
   */
  #populate = true;
  /** Set while a scan maps its chunks (mapForScan): new mappings are left unpopulated. */
  #deferPopulate = false;
  /** Chunks a scan mapped and has not populated yet (populateAhead), populated on a later use. */
  readonly #unpopulated = new Set<ChunkFile>();

  constructor(
    feedDir: string,
    feed: string,
    options: { useIndexes?: boolean; geometry?: ChunkGeometry } = {},
  ) {
    this.#feedDir = feedDir;
    this.#feed = feed;
    this.#useIndexes = options.useIndexes ?? false;
    this.#geometry = options.geometry;
  }

  /** The persisted index of a chunk that is final (id < lastChunkId), if the feed keeps them. */
  index(id: number): TimeIndex | undefined {
    if (!this.#useIndexes) return undefined;
    const cached = this.#indexes.get(id);
    if (cached !== undefined) return cached;
    const index = loadChunkIndex(this.#feedDir, id);
    if (index === undefined) return undefined;
    this.#indexes.set(id, index);
    if (this.#indexes.size > CACHED_INDEXES) {
      const [oldestId, oldest] = this.#indexes.entries().next().value as [number, TimeIndex];
      this.#indexes.delete(oldestId);
      oldest.dispose();
    }
    return index;
  }

  /** The mapped chunk, or undefined when its file is gone (removed by retention). */
  get(id: number): ChunkFile | undefined {
    const recent = this.#recent;
    if (recent !== undefined && recent.id === id) {
      if (this.#unpopulated.size !== 0) this.#populateLeftover(recent);
      return recent;
    }
    const cached = this.#chunks.get(id);
    if (cached !== undefined) {
      cached.lastUse = ++this.#clock;
      this.#recent = cached.chunk;
      mappingBudget.touch(cached.chunk);
      if (this.#unpopulated.size !== 0) this.#populateLeftover(cached.chunk);
      return cached.chunk;
    }
    const chunk = this.#open(id);
    if (chunk === undefined) return undefined;
    if (this.#populate) {
      if (this.#deferPopulate) this.#unpopulated.add(chunk);
      else populateCommitted(chunk);
    }
    this.#chunks.set(id, { chunk, lastUse: ++this.#clock });
    this.#recent = chunk;
    this.#mappedBytes += chunk.mapping.size;
    while (
      this.#chunks.size > MAX_CACHED_CHUNKS ||
      (this.#chunks.size > MIN_CACHED_CHUNKS && this.#mappedBytes > MAPPED_BYTES_BUDGET)
    ) {
      this.evict(this.#leastRecentlyUsed());
    }
    // Then the process-wide share: may unmap other readers' (or this one's) older chunks.
    mappingBudget.add(chunk, this);
    return chunk;
  }

  /**
   * Runs `map` (a scan's search for its chunks, or its next chunk) leaving every chunk it maps
   * unpopulated: a scan then populates each on a threadpool thread as it comes up (populateAhead)
   * instead of all of them on its own thread before its first record — 240 MB of records cost
   * ~25–40 ms of the scan's thread here, a quarter of a 10 M-record scan.
   */
  mapForScan<T>(map: () => T): T {
    const deferring = this.#deferPopulate;
    this.#deferPopulate = true;
    try {
      return map();
    } finally {
      this.#deferPopulate = deferring;
    }
  }

  /**
   * Starts populating a chunk a scan mapped (mapForScan) on a threadpool thread, if not done yet:
   * the scan asks for the chunk it reads now and the one after, so the page tables are filled
   * ahead of it, off its thread. A hint, as populateCommitted: a failure leaves the pages to fault in.
   */
  populateAhead(chunk: ChunkFile): void {
    if (!this.#unpopulated.delete(chunk)) return;
    chunk.mapping.populateReadAsync(0, committedBytes(chunk)).catch(() => {});
  }

  /** A chunk a scan mapped but never populated, now used by a range or a seek: populated as any other. */
  #populateLeftover(chunk: ChunkFile): void {
    if (!this.#deferPopulate && this.#unpopulated.delete(chunk)) populateCommitted(chunk);
  }

  /**
   * Maps chunk `id`. When mmap fails for lack of memory or mappings (ENOMEM), every reader's cached
   * mappings are given back and it is tried once more; a second failure is ERR_NO_MEMORY.
   */
  #open(id: number): ChunkFile | undefined {
    try {
      return mapEvictingOnce(() =>
        ChunkFile.open(this.#feedDir, id, this.#feed, { readOnly: true, geometry: this.#geometry }),
      );
    } catch (error) {
      if (!isOutOfMemory(error)) throw error;
      throw new NoMemoryError(
        `Feed "${this.#feed}": cannot map chunk ${id} even after unmapping every cached chunk ` +
          `(${(error as Error).message}); ${NO_MEMORY_ADVICE}`,
        0,
        { feed: this.#feed, path: ChunkFile.pathFor(this.#feedDir, id), cause: error },
      );
    }
  }

  /** The cached chunk with the oldest stamp: a scan of at most MAX_CACHED_CHUNKS, on a miss only. */
  #leastRecentlyUsed(): ChunkFile {
    let oldest: CachedChunk | undefined;
    for (const entry of this.#chunks.values()) {
      if (oldest === undefined || entry.lastUse < oldest.lastUse) oldest = entry;
    }
    return (oldest as CachedChunk).chunk;
  }

  /** BudgetOwner: unmaps one cached chunk (or drops it, if lent out zero-copy). */
  evict(chunk: ChunkFile): void {
    if (this.#chunks.get(chunk.id)?.chunk !== chunk) return;
    this.#populate = false;
    this.#chunks.delete(chunk.id);
    this.#unpopulated.delete(chunk);
    this.#mappedBytes -= chunk.mapping.size;
    if (this.#recent === chunk) this.#recent = undefined;
    mappingBudget.remove(chunk);
    this.#release(chunk);
  }

  /**
   * Marks a cached chunk as lent out: a zero-copy view of it escaped to the caller, so it must stay
   * mapped for as long as that view is reachable. It is dropped rather than closed; the ArrayBuffer's
   * finalizer unmaps it once the caller lets go.
   */
  lend(chunk: ChunkFile): void {
    this.#escaped.add(chunk);
  }

  #release(chunk: ChunkFile): void {
    if (this.#escaped.delete(chunk)) return;
    chunk.close();
  }

  close(): void {
    for (const { chunk } of this.#chunks.values()) {
      mappingBudget.remove(chunk);
      this.#release(chunk);
    }
    this.#chunks.clear();
    this.#unpopulated.clear();
    this.#recent = undefined;
    this.#mappedBytes = 0;
    this.#escaped.clear();
    for (const index of this.#indexes.values()) index.dispose();
    this.#indexes.clear();
  }
}
