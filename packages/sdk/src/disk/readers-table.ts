import type { Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { DEFAULT_FILE_MODE, mapInBase } from '../platform/base-fs.js';
import { assertFileLength, createFileOnce } from '../registry/atomic-file.js';
import * as L from '../registry/layout.js';

export interface ReaderPosition {
  slot: number;
  pid: number;
  chunkId: number;
  heartbeatUs: number;
  openedUs: number;
}

function encodeHeader(): Uint8Array {
  const bytes = new Uint8Array(L.READERS_HEADER_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, L.READERS_MAGIC, true);
  view.setUint32(4, L.READERS_VERSION, true);
  view.setUint32(8, L.READERS_SLOT_CAPACITY, true);
  view.setUint32(12, L.READERS_SLOT_LENGTH, true);
  return bytes;
}

export function createReadersTableFile(path: string, mode = DEFAULT_FILE_MODE): void {
  createFileOnce(path, L.READERS_FILE_LENGTH, encodeHeader(), mode);
}

/** Why a readers table cannot be used (length, magic, version, geometry), or undefined. */
export function readersTableProblem(view: DataView, size: number): string | undefined {
  if (size < L.READERS_FILE_LENGTH) return `is ${size} bytes, expected ${L.READERS_FILE_LENGTH}`;
  const fields: [string, number, number][] = [
    ['magic', 0, L.READERS_MAGIC],
    ['version', 4, L.READERS_VERSION],
    ['slotCapacity', 8, L.READERS_SLOT_CAPACITY],
    ['slotLength', 12, L.READERS_SLOT_LENGTH],
  ];
  for (const [name, offset, expected] of fields) {
    const value = view.getUint32(offset, true);
    if (value !== expected) return `header field ${name} is ${value}, expected ${expected}`;
  }
  return undefined;
}

/** kill(pid, 0): true while the process exists (EPERM = it exists under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * ReadersTable — where each live reader cursor is, so retention never deletes a chunk under it.
 * Slots are claimed with a CAS on the pid word (0 -> pid, or deadPid -> pid) and freed on close.
 */
export class ReadersTable {
  readonly #mapping: Mapping;
  readonly #words: Int32Array;
  readonly #view: DataView;
  readonly #onStaleParked: ((count: number) => void) | undefined;

  /**
   * `onStaleParked` gives back the `waiters` share of a dead reader whose slot is reclaimed; without
   * it (read-only users such as retention) parked shares are left untouched.
   */
  constructor(path: string, onStaleParked?: (count: number) => void, mode = DEFAULT_FILE_MODE) {
    this.#onStaleParked = onStaleParked;
    createReadersTableFile(path, mode);
    assertFileLength(
      path,
      L.READERS_FILE_LENGTH,
      "run `deepwater repair` (it re-creates the table: it only holds live readers' positions)",
    );
    this.#mapping = mapInBase(path, {});
    const problem = readersTableProblem(new DataView(this.#mapping.buffer), this.#mapping.size);
    if (problem !== undefined) {
      this.#mapping.close();
      throw new DeepwaterError(
        'ERR_CORRUPT',
        `${path} ${problem}; run \`deepwater repair\` (it re-creates the table: it only holds live readers' positions)`,
        { path },
      );
    }
    this.#words = new Int32Array(this.#mapping.buffer);
    this.#view = new DataView(this.#mapping.buffer);
  }

  #pidIndex(slot: number): number {
    return (L.READERS_HEADER_LENGTH + slot * L.READERS_SLOT_LENGTH + L.RS_PID_OFFSET) / 4;
  }

  #parkedIndex(slot: number): number {
    return (L.READERS_HEADER_LENGTH + slot * L.READERS_SLOT_LENGTH + L.RS_PARKED_OFFSET) / 4;
  }

  /** Adjusts a slot's parked count (its share of the feed's `waiters`). */
  addParked(slot: number, delta: number): void {
    if (slot < 0 || this.#mapping.closed) return;
    Atomics.add(this.#words, this.#parkedIndex(slot), delta);
  }

  /**
   * Frees the slots of dead processes, giving back their parked share first. Run by the writer's
   * timer; a reader killed while parked would otherwise leave `waiters` raised forever and make
   * the writer pay a futex wake per publication.
   */
  reapDead(): void {
    if (this.#mapping.closed || this.#onStaleParked === undefined) return;
    for (let slot = 0; slot < L.READERS_SLOT_CAPACITY; slot++) {
      const holder = Atomics.load(this.#words, this.#pidIndex(slot));
      if (holder === 0 || holder === process.pid || isProcessAlive(holder)) continue;
      const parked = Atomics.exchange(this.#words, this.#parkedIndex(slot), 0);
      if (parked > 0) this.#onStaleParked(parked);
      Atomics.compareExchange(this.#words, this.#pidIndex(slot), holder, 0);
    }
  }

  /** Claims a slot announcing `chunkId`; -1 when the table is full (the reader then works unannounced). */
  claim(chunkId: number): number {
    const pid = process.pid;
    for (let slot = 0; slot < L.READERS_SLOT_CAPACITY; slot++) {
      const index = this.#pidIndex(slot);
      const holder = Atomics.load(this.#words, index);
      if (holder !== 0 && (holder === pid || isProcessAlive(holder))) continue;
      if (Atomics.compareExchange(this.#words, index, holder, pid) !== holder) continue;
      if (this.#onStaleParked !== undefined) {
        const stale = Atomics.exchange(this.#words, this.#parkedIndex(slot), 0);
        if (stale > 0) this.#onStaleParked(stale);
      }
      const now = Date.now() * 1000;
      const base = L.READERS_HEADER_LENGTH + slot * L.READERS_SLOT_LENGTH;
      this.#view.setFloat64(base + L.RS_OPENED_US_OFFSET, now, true);
      this.update(slot, chunkId);
      return slot;
    }
    return -1;
  }

  update(slot: number, chunkId: number): void {
    if (slot < 0 || this.#mapping.closed) return;
    const base = L.READERS_HEADER_LENGTH + slot * L.READERS_SLOT_LENGTH;
    Atomics.store(this.#words, (base + L.RS_CHUNK_ID_OFFSET) / 4, chunkId);
    this.#view.setFloat64(base + L.RS_HEARTBEAT_US_OFFSET, Date.now() * 1000, true);
  }

  release(slot: number): void {
    if (slot < 0 || this.#mapping.closed) return;
    Atomics.compareExchange(this.#words, this.#pidIndex(slot), process.pid, 0);
  }

  /** Live readers' positions (slots of dead processes are left out). */
  list(): ReaderPosition[] {
    const positions: ReaderPosition[] = [];
    for (let slot = 0; slot < L.READERS_SLOT_CAPACITY; slot++) {
      const pid = Atomics.load(this.#words, this.#pidIndex(slot));
      if (pid === 0 || !isProcessAlive(pid)) continue;
      const base = L.READERS_HEADER_LENGTH + slot * L.READERS_SLOT_LENGTH;
      positions.push({
        slot,
        pid,
        chunkId: Atomics.load(this.#words, (base + L.RS_CHUNK_ID_OFFSET) / 4) >>> 0,
        heartbeatUs: this.#view.getFloat64(base + L.RS_HEARTBEAT_US_OFFSET, true),
        openedUs: this.#view.getFloat64(base + L.RS_OPENED_US_OFFSET, true),
      });
    }
    return positions;
  }

  close(): void {
    this.#mapping.close();
  }
}
