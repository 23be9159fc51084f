import type { UntypedWrite, WriteTypes } from '../format/typed-records.js';

/**
 * Writer — one per feed across all processes, enforced by a kernel lock on the feed.
 * Disk writers (persist: true) and RingWriters (persist: false) implement this interface.
 */
export interface Writer<W extends WriteTypes = UntypedWrite> extends Disposable {
  readonly feedName: string;
  readonly closed: boolean;
  /** One record, values in field order (padding omitted). Throws and writes nothing on a bad value. */
  writeValues(...values: W['values']): void;
  writeTuple(values: W['tuple']): void;
  writeDict(record: W['dict']): void;
  /** Many records (tuples or objects), validated all first, then published together. Returns the count. */
  writeBatch(rows: readonly (W['tuple'] | W['dict'])[]): number;
  /**
   * Whole records in the feed's layout (a multiple of recordSize bytes, e.g. a raw read), copied
   * as they are: the timestamp order (within and after the last record) is checked first, then
   * they are published together. Returns the count.
   */
  writeRaw(bytes: Uint8Array): number;
  /**
   * Records given column by column: `{ field: TypedArray }` for every field (the typed array of
   * its type — what a columnar read returns), equal lengths, timestamps non-decreasing; all
   * validated before anything is written, then published together. Returns the count.
   */
  writeColumns(columns: Readonly<Record<string, ArrayBufferView>>): number;
  /** msync what is written (and fsync with durability 'fsync'). */
  flush(): void;
  /** Seals the current chunk and releases the writer lock; idempotent. */
  close(): void;
}

/**
 * How far a write travels before it counts as done:
 * - 'page-cache' (default): survives a process crash, not a power loss; costs nothing per write.
 * - 'msync': also msync on flush(), at rotation and every `syncIntervalMs`.
 * - 'fsync': msync + fsync of the file (and its directory at rotation).
 */
export type Durability = 'page-cache' | 'msync' | 'fsync';
export const DURABILITIES: readonly Durability[] = ['page-cache', 'msync', 'fsync'];

export interface WriterOptions {
  /** Overrides the feed's durability for this writer. */
  durability?: Durability;
  /** With 'msync'/'fsync': background sync period in ms (default 1000; 0 = only on flush/rotation). */
  syncIntervalMs?: number;
}
