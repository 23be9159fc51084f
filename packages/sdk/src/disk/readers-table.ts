import type { Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { DEFAULT_FILE_MODE, mapInBase } from '../platform/base-fs.js';
import { assertFileLength, createFileOnce } from '../registry/atomic-file.js';
import * as L from '../registry/layout.js';
import { SlotTable } from '../registry/slot-table.js';

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

/**
 * ReadersTable — where each live reader cursor is, so retention never deletes a chunk under it.
 * Slots are owned through a SlotTable (CAS on the pid word) and freed on close.
 */
export class ReadersTable {
  readonly #mapping: Mapping;
  readonly #words: Int32Array;
  readonly #view: DataView;
  readonly #slots: SlotTable;
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
    this.#slots = new SlotTable(this.#mapping, this.#words, {
      headerLength: L.READERS_HEADER_LENGTH,
      slotLength: L.READERS_SLOT_LENGTH,
      capacity: L.READERS_SLOT_CAPACITY,
      pidOffset: L.RS_PID_OFFSET,
    });
  }

  #parkedIndex(slot: number): number {
    return (this.#slots.slotOffset(slot) + L.RS_PARKED_OFFSET) / 4;
  }

  /** Gives back a dead holder's parked share (the slot is this process's or about to be freed). */
  #returnParked(slot: number): void {
    const parked = Atomics.exchange(this.#words, this.#parkedIndex(slot), 0);
    if (parked > 0) this.#onStaleParked?.(parked);
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
    if (this.#onStaleParked === undefined) return;
    this.#slots.reapDead((slot) => this.#returnParked(slot));
  }

  /** Claims a slot announcing `chunkId`; -1 when the table is full (the reader then works unannounced). */
  claim(chunkId: number): number {
    // Without onStaleParked (read-only users) a reclaimed slot's parked share is left untouched.
    const slot = this.#slots.claimSlot(
      this.#onStaleParked === undefined ? undefined : (reclaimed) => this.#returnParked(reclaimed),
    );
    if (slot < 0) return -1;
    this.#view.setFloat64(this.#slots.slotOffset(slot) + L.RS_OPENED_US_OFFSET, Date.now() * 1000, true);
    this.update(slot, chunkId);
    return slot;
  }

  update(slot: number, chunkId: number): void {
    if (slot < 0 || this.#mapping.closed) return;
    const base = this.#slots.slotOffset(slot);
    Atomics.store(this.#words, (base + L.RS_CHUNK_ID_OFFSET) / 4, chunkId);
    this.#view.setFloat64(base + L.RS_HEARTBEAT_US_OFFSET, Date.now() * 1000, true);
  }

  release(slot: number): void {
    this.#slots.releaseSlot(slot);
  }

  /** Live readers' positions (slots of dead processes are left out). */
  list(): ReaderPosition[] {
    const positions: ReaderPosition[] = [];
    this.#slots.forEachLive((slot, pid) => {
      const base = this.#slots.slotOffset(slot);
      positions.push({
        slot,
        pid,
        chunkId: Atomics.load(this.#words, (base + L.RS_CHUNK_ID_OFFSET) / 4) >>> 0,
        heartbeatUs: this.#view.getFloat64(base + L.RS_HEARTBEAT_US_OFFSET, true),
        openedUs: this.#view.getFloat64(base + L.RS_OPENED_US_OFFSET, true),
      });
    });
    return positions;
  }

  close(): void {
    this.#mapping.close();
  }
}
