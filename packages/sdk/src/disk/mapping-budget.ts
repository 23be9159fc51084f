import { DeepwaterRangeError } from '@deepwater/errors';
import { isOutOfMemory } from '../errors.js';
import type { ChunkFile } from './chunk-file.js';

/** What the budget needs from a reader's cache to take a mapping back. */
export interface BudgetOwner {
  /** Unmaps (or, if lent out zero-copy, drops) one of its cached chunks. */
  evict(chunk: ChunkFile): void;
}

interface BudgetEntry {
  readonly owner: BudgetOwner;
  /** The budget's clock at the last add or touch: the lowest is the least recently used. */
  lastUse: number;
}

export interface MappingBudgetLimits {
  /** Cached chunk mappings across all readers of the process. */
  maxMappings: number;
  /** Bytes of address space those mappings may take. */
  maxBytes: number;
}

/**
 * Defaults: the kernel allows ~65 K mappings per process (vm.max_map_count) for everything,
 * including V8's own, so chunk caches share a few thousand; address space is plentiful on 64-bit.
 */
export const DEFAULT_MAPPING_BUDGET: Readonly<MappingBudgetLimits> = {
  maxMappings: 4096,
  maxBytes: 64 * 1024 ** 3,
};

/**
 * MappingBudget — one least-recently-used order over the chunk mappings cached by EVERY reader of
 * the process, so that thousands of readers over many chunks degrade in speed (re-mapping) instead
 * of exhausting the process's mappings (mmap ENOMEM, then std::bad_alloc in whatever allocates
 * next). Readers touch it only on a cache miss or a non-recent hit, never on the hot path.
 */
class MappingBudget {
  #limits: MappingBudgetLimits = { ...DEFAULT_MAPPING_BUDGET };
  /**
   * Every counted mapping with its owner and recency stamp. A touch stamps the entry instead of
   * re-inserting it (a delete + set per touch made V8 rehash the table into old space every few
   * dozen touches: garbage and page faults on the seek path); eviction scans for the oldest stamp.
   */
  readonly #lru = new Map<ChunkFile, BudgetEntry>();
  #clock = 0;
  #bytes = 0;

  get limits(): Readonly<MappingBudgetLimits> {
    return this.#limits;
  }

  get mappings(): number {
    return this.#lru.size;
  }

  configure(limits: Partial<MappingBudgetLimits>): void {
    const next = { ...this.#limits, ...limits };
    for (const key of ['maxMappings', 'maxBytes'] as const) {
      if (!Number.isSafeInteger(next[key]) || next[key] < 1) {
        throw new DeepwaterRangeError(
          `mapping budget: ${key} must be a positive integer, got ${String(next[key])}`,
        );
      }
    }
    this.#limits = next;
    this.#enforce(undefined);
  }

  /** A new mapping: counted, then older ones (any reader's, never `chunk`) are evicted to fit. */
  add(chunk: ChunkFile, owner: BudgetOwner): void {
    this.#lru.set(chunk, { owner, lastUse: ++this.#clock });
    this.#bytes += chunk.mapping.size;
    this.#enforce(chunk);
  }

  touch(chunk: ChunkFile): void {
    const entry = this.#lru.get(chunk);
    if (entry !== undefined) entry.lastUse = ++this.#clock;
  }

  /** The owner let go of it (evicted, closed): no longer counted. */
  remove(chunk: ChunkFile): void {
    if (this.#lru.delete(chunk)) this.#bytes -= chunk.mapping.size;
  }

  /** mmap failed for lack of memory: gives back every cached mapping, across readers. */
  evictAll(): number {
    let evicted = 0;
    for (const [chunk, { owner }] of [...this.#lru]) {
      owner.evict(chunk);
      evicted++;
    }
    return evicted;
  }

  #enforce(keep: ChunkFile | undefined): void {
    const limits = this.#limits;
    while (this.#lru.size > limits.maxMappings || this.#bytes > limits.maxBytes) {
      const victim = this.#oldestExcept(keep);
      if (victim === undefined) return;
      victim[1].evict(victim[0]); // calls remove()
    }
  }

  /** The least recently used mapping but `keep`: a scan, run only when a new mapping is over the limits. */
  #oldestExcept(keep: ChunkFile | undefined): [ChunkFile, BudgetOwner] | undefined {
    let oldest: ChunkFile | undefined;
    let oldestEntry: BudgetEntry | undefined;
    for (const [chunk, entry] of this.#lru) {
      if (chunk !== keep && (oldestEntry === undefined || entry.lastUse < oldestEntry.lastUse)) {
        oldest = chunk;
        oldestEntry = entry;
      }
    }
    return oldest === undefined || oldestEntry === undefined ? undefined : [oldest, oldestEntry.owner];
  }
}

/** The process-wide budget shared by all readers' chunk caches. */
export const mappingBudget = new MappingBudget();

/**
 * Sets the process-wide limits on chunk mappings cached by readers (see DEFAULT_MAPPING_BUDGET).
 * Lower limits apply at once: the least recently used mappings are unmapped.
 */
export function configureMappingBudget(limits: Partial<MappingBudgetLimits>): Readonly<MappingBudgetLimits> {
  mappingBudget.configure(limits);
  return mappingBudget.limits;
}

/**
 * Runs `map`; when it fails for lack of memory or mappings (ENOMEM), gives back every cached chunk
 * mapping of the process (readers re-map on their next miss) and runs it once more. A second
 * failure propagates: the caller names it (NoMemoryError).
 */
export function mapEvictingOnce<T>(map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (!isOutOfMemory(error)) throw error;
    mappingBudget.evictAll();
  }
  return map();
}
