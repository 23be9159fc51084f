import { join } from 'node:path';
import type { Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { crc32c } from '../format/crc32c.js';
import { DEFAULT_FILE_MODE, lockInBase, mapInBase } from '../platform/base-fs.js';
import { assertFileLength, createFileOnce, sleepSync } from './atomic-file.js';
import * as L from './layout.js';

export interface GlobalFeedEntry {
  name: string;
  persist: boolean;
  mode: 'UF' | 'IF';
  recordSize: number;
  createdUs: number;
  chunkSizeBytes: number;
  slot: number;
}

const REGISTRY_LOCK_TIMEOUT_MS = 10_000;

function encodeHeader(): Uint8Array {
  const bytes = new Uint8Array(L.GLOBAL_HEADER_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint32(L.G_MAGIC_OFFSET, L.GLOBAL_MAGIC, true);
  view.setUint32(L.G_VERSION_OFFSET, L.GLOBAL_VERSION, true);
  view.setUint32(L.G_SLOT_CAPACITY_OFFSET, L.GLOBAL_SLOT_CAPACITY, true);
  view.setUint32(L.G_SLOT_LENGTH_OFFSET, L.GLOBAL_SLOT_LENGTH, true);
  view.setUint32(L.G_HEADER_CRC_OFFSET, globalHeaderCrc(bytes), true);
  return bytes;
}

/** CRC-32C of feeds.reg's immutable header words (magic, version, slotCapacity, slotLength). */
export function globalHeaderCrc(bytes: Uint8Array): number {
  return crc32c(bytes.subarray(0, L.G_IMMUTABLE_END));
}

/** Writes a v2 feeds.reg header over a v1 one's immutable words (`deepwater migrate`). */
export function encodeGlobalHeader(): Uint8Array {
  return encodeHeader();
}

/**
 * GlobalRegistry — the base directory's list of feeds, memory-mapped. Lock-free for readers; every
 * mutation runs under `registry.lock` (withLock). A slot becomes visible only when its state word
 * turns active, after every other byte of it is written.
 */
export class GlobalRegistry {
  readonly path: string;
  readonly #basePath: string;
  readonly #mapping: Mapping;
  readonly #view: DataView;
  readonly #words: Int32Array;
  readonly #capacity: number;
  readonly #mode: number;

  /** `mode`: of the files this registry creates (feeds.reg, registry.lock). */
  constructor(basePath: string, mode = DEFAULT_FILE_MODE) {
    this.#basePath = basePath;
    this.#mode = mode;
    this.path = join(basePath, L.GLOBAL_REGISTRY_FILE);
    createFileOnce(this.path, L.GLOBAL_FILE_LENGTH, encodeHeader(), mode);
    assertFileLength(
      this.path,
      L.GLOBAL_FILE_LENGTH,
      'run `deepwater repair --all` (it sets the file aside and re-registers every feed directory)',
    );
    this.#mapping = mapInBase(this.path, {});
    this.#view = new DataView(this.#mapping.buffer);
    this.#words = new Int32Array(this.#mapping.buffer);
    const magic = this.#view.getUint32(L.G_MAGIC_OFFSET, true);
    const version = this.#view.getUint32(L.G_VERSION_OFFSET, true);
    if (magic !== L.GLOBAL_MAGIC) {
      this.#mapping.close();
      throw new DeepwaterError('ERR_CORRUPT', `${this.path} is not a Deepwater feed registry (bad magic)`, {
        path: this.path,
      });
    }
    if (version !== L.GLOBAL_VERSION) {
      this.#mapping.close();
      throw new DeepwaterError(
        'ERR_FORMAT_VERSION',
        `${this.path} has registry version ${version}; this @deepwater/sdk reads version ${L.GLOBAL_VERSION}` +
          (version < L.GLOBAL_VERSION
            ? '; upgrade the base with `deepwater migrate -b BASE`'
            : '; upgrade @deepwater/sdk'),
        { path: this.path },
      );
    }
    this.#capacity = this.#view.getUint32(L.G_SLOT_CAPACITY_OFFSET, true);
    const slotLength = this.#view.getUint32(L.G_SLOT_LENGTH_OFFSET, true);
    const storedCrc = this.#view.getUint32(L.G_HEADER_CRC_OFFSET, true);
    const headerCrc = globalHeaderCrc(new Uint8Array(this.#mapping.buffer, 0, L.G_IMMUTABLE_END));
    const problem =
      this.#mapping.size < L.GLOBAL_FILE_LENGTH
        ? `is ${this.#mapping.size} bytes, expected ${L.GLOBAL_FILE_LENGTH}`
        : storedCrc !== headerCrc
          ? `header field headerCrc is 0x${storedCrc.toString(16)}, the header sums to 0x${headerCrc.toString(16)} (CRC-32C)`
          : this.#capacity !== L.GLOBAL_SLOT_CAPACITY
            ? `header field slotCapacity is ${this.#capacity}, expected ${L.GLOBAL_SLOT_CAPACITY}`
            : slotLength !== L.GLOBAL_SLOT_LENGTH
              ? `header field slotLength is ${slotLength}, expected ${L.GLOBAL_SLOT_LENGTH}`
              : undefined;
    if (problem !== undefined) {
      this.#mapping.close();
      throw new DeepwaterError(
        'ERR_CORRUPT',
        `${this.path} ${problem}; run \`deepwater repair --all\` (it sets the file aside and re-registers every feed directory)`,
        { path: this.path },
      );
    }
  }

  /** Bumped on every add/delete; pollers may skip re-listing when it is unchanged. */
  get changeCount(): number {
    return Atomics.load(this.#words, L.G_CHANGE_COUNT_OFFSET / 4);
  }

  #slotOffset(i: number): number {
    return L.GLOBAL_HEADER_LENGTH + i * L.GLOBAL_SLOT_LENGTH;
  }

  #stateIndex(i: number): number {
    return (this.#slotOffset(i) + L.GS_STATE_OFFSET) / 4;
  }

  #generationIndex(i: number): number {
    return (this.#slotOffset(i) + L.GS_GENERATION_OFFSET) / 4;
  }

  /** Reads slot i if active; seqlock-style re-check so a slot rewritten meanwhile is never returned torn. */
  #readSlot(i: number, words: Int32Array): GlobalFeedEntry | undefined {
    const generation = Atomics.load(words, this.#generationIndex(i));
    if (Atomics.load(words, this.#stateIndex(i)) !== L.SLOT_ACTIVE) return undefined;
    const view = this.#view;
    const base = this.#slotOffset(i);
    const nameLength = Math.min(view.getUint8(base + L.GS_NAME_LENGTH_OFFSET), L.GS_NAME_LENGTH);
    let name = '';
    for (let k = 0; k < nameLength; k++)
      name += String.fromCharCode(view.getUint8(base + L.GS_NAME_OFFSET + k));
    const entry: GlobalFeedEntry = {
      name,
      persist: view.getUint8(base + L.GS_PERSIST_OFFSET) === 1,
      mode: view.getUint8(base + L.GS_MODE_OFFSET) === 1 ? 'IF' : 'UF',
      recordSize: view.getUint32(base + L.GS_RECORD_SIZE_OFFSET, true),
      createdUs: view.getFloat64(base + L.GS_CREATED_US_OFFSET, true),
      chunkSizeBytes: view.getFloat64(base + L.GS_CHUNK_SIZE_BYTES_OFFSET, true),
      slot: i,
    };
    if (Atomics.load(words, this.#stateIndex(i)) !== L.SLOT_ACTIVE) return undefined;
    if (Atomics.load(words, this.#generationIndex(i)) !== generation) return undefined;
    return entry;
  }

  list(): GlobalFeedEntry[] {
    const words = this.#words;
    const used = Math.min(Atomics.load(words, L.G_SLOTS_USED_OFFSET / 4), this.#capacity);
    const entries: GlobalFeedEntry[] = [];
    for (let i = 0; i < used; i++) {
      const entry = this.#readSlot(i, words);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  find(name: string): GlobalFeedEntry | undefined {
    return this.list().find((entry) => entry.name === name);
  }

  /** Runs `fn` holding the registry lock (a kernel lock: released if this process dies). */
  withLock<T>(fn: () => T): T {
    const lockPath = join(this.#basePath, L.REGISTRY_LOCK_FILE);
    const deadline = Date.now() + REGISTRY_LOCK_TIMEOUT_MS;
    let lock = lockInBase(lockPath, this.#mode);
    while (lock === null) {
      if (Date.now() > deadline) {
        throw new DeepwaterError(
          'ERR_REGISTRY_LOCKED',
          `Timed out waiting for ${lockPath} (another createFeed/deleteFeed is stuck)`,
          { path: lockPath },
        );
      }
      sleepSync(1);
      lock = lockInBase(lockPath, this.#mode);
    }
    try {
      return fn();
    } finally {
      lock.release();
    }
  }

  /** Adds an active entry (caller holds the lock and checked that the name is absent). */
  add(entry: Omit<GlobalFeedEntry, 'slot'>): void {
    const words = this.#words;
    const used = Atomics.load(words, L.G_SLOTS_USED_OFFSET / 4);
    let slot = -1;
    for (let i = 0; i < used; i++) {
      if (Atomics.load(words, this.#stateIndex(i)) !== L.SLOT_ACTIVE) {
        slot = i;
        break;
      }
    }
    if (slot === -1) {
      if (used >= this.#capacity) {
        throw new DeepwaterError(
          'ERR_CAPACITY',
          `Feed "${entry.name}": the registry holds at most ${this.#capacity} feeds; delete unused feeds first`,
          { feed: entry.name, path: this.path },
        );
      }
      slot = used;
    }
    const view = this.#view;
    const base = this.#slotOffset(slot);
    // Readers of a reused slot see the state leave 'active' before any byte changes.
    Atomics.store(words, this.#stateIndex(slot), L.SLOT_EMPTY);
    Atomics.add(words, this.#generationIndex(slot), 1);
    view.setUint8(base + L.GS_PERSIST_OFFSET, entry.persist ? 1 : 0);
    view.setUint8(base + L.GS_MODE_OFFSET, entry.mode === 'IF' ? 1 : 0);
    view.setUint8(base + L.GS_NAME_LENGTH_OFFSET, entry.name.length);
    view.setUint32(base + L.GS_RECORD_SIZE_OFFSET, entry.recordSize, true);
    view.setFloat64(base + L.GS_CREATED_US_OFFSET, entry.createdUs, true);
    view.setFloat64(base + L.GS_CHUNK_SIZE_BYTES_OFFSET, entry.chunkSizeBytes, true);
    for (let k = 0; k < L.GS_NAME_LENGTH; k++) {
      view.setUint8(base + L.GS_NAME_OFFSET + k, k < entry.name.length ? entry.name.charCodeAt(k) : 0);
    }
    Atomics.store(words, this.#stateIndex(slot), L.SLOT_ACTIVE);
    if (slot === used) Atomics.store(words, L.G_SLOTS_USED_OFFSET / 4, used + 1);
    Atomics.add(words, L.G_CHANGE_COUNT_OFFSET / 4, 1);
  }

  /** Marks the feed deleted (caller holds the lock). Returns false if it was not registered. */
  remove(name: string): boolean {
    const entry = this.find(name);
    if (entry === undefined) return false;
    const words = this.#words;
    Atomics.store(words, this.#stateIndex(entry.slot), L.SLOT_DELETED);
    Atomics.add(words, this.#generationIndex(entry.slot), 1);
    Atomics.add(words, L.G_CHANGE_COUNT_OFFSET / 4, 1);
    return true;
  }

  close(): void {
    this.#mapping.close();
  }
}
