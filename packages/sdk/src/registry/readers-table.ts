import { type Mapping, mapFile } from '@deepwater/storage-native';
import { createFileOnce } from './atomic-file.js';
import * as L from './layout.js';

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

export function createReadersTableFile(path: string): void {
  createFileOnce(path, L.READERS_FILE_LENGTH, encodeHeader());
}

function isAlive(pid: number): boolean {
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

  constructor(path: string) {
    createReadersTableFile(path);
    this.#mapping = mapFile(path);
    this.#words = new Int32Array(this.#mapping.buffer);
    this.#view = new DataView(this.#mapping.buffer);
  }

  #pidIndex(slot: number): number {
    return (L.READERS_HEADER_LENGTH + slot * L.READERS_SLOT_LENGTH + L.RS_PID_OFFSET) / 4;
  }

  /** Claims a slot announcing `chunkId`; -1 when the table is full (the reader then works unannounced). */
  claim(chunkId: number): number {
    const pid = process.pid;
    for (let slot = 0; slot < L.READERS_SLOT_CAPACITY; slot++) {
      const index = this.#pidIndex(slot);
      const holder = Atomics.load(this.#words, index);
      if (holder !== 0 && (holder === pid || isAlive(holder))) continue;
      if (Atomics.compareExchange(this.#words, index, holder, pid) !== holder) continue;
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
      if (pid === 0 || !isAlive(pid)) continue;
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
