import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { DEFAULT_FILE_MODE, mapInBase } from '../platform/base-fs.js';
import { createFileOnce } from '../registry/atomic-file.js';
import * as L from '../registry/layout.js';
import { SlotTable } from '../registry/slot-table.js';

/** Which reader call a slot's cursor serves. */
export type RingCursorKind = 'stream' | 'readAvailable';

/** One live cursor as its slot announces it (a snapshot: the holder keeps writing). */
export interface RingReaderEntry {
  slot: number;
  pid: number;
  kind: RingCursorKind;
  /** Next record the cursor hands out; null while it waits for the ring to be created. */
  sequence: number | null;
  lostRecords: number;
  heartbeatUs: number;
  openedUs: number;
}

const SLOT_F64 = L.RING_READERS_SLOT_LENGTH / 8;
const RING_GENERATION = L.RR_HEADER_RING_GENERATION_OFFSET / 4;
const SLOT_I32 = L.RING_READERS_SLOT_LENGTH / 4;
const KIND_CODE: Record<RingCursorKind, number> = {
  stream: L.RR_KIND_STREAM,
  readAvailable: L.RR_KIND_READ_AVAILABLE,
};

export function ringReadersPath(feedDir: string): string {
  return join(feedDir, L.RING_READERS_FILE);
}

function encodeHeader(): Uint8Array {
  const bytes = new Uint8Array(L.RING_READERS_HEADER_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, L.RING_READERS_MAGIC, true);
  view.setUint32(4, L.RING_READERS_VERSION, true);
  view.setUint32(8, L.RING_READERS_SLOT_CAPACITY, true);
  view.setUint32(12, L.RING_READERS_SLOT_LENGTH, true);
  return bytes;
}

function checkHeader(mapping: Mapping, feed: string): void {
  const view = new DataView(mapping.buffer);
  const magic = view.getUint32(0, true);
  const version = view.getUint32(4, true);
  const capacity = view.getUint32(8, true);
  const slotLength = view.getUint32(12, true);
  if (
    magic === L.RING_READERS_MAGIC &&
    version >= L.RING_READERS_OLDEST_VERSION &&
    version <= L.RING_READERS_VERSION &&
    capacity === L.RING_READERS_SLOT_CAPACITY &&
    slotLength === L.RING_READERS_SLOT_LENGTH
  )
    return;
  mapping.close();
  throw new DeepwaterError(
    'ERR_FORMAT_VERSION',
    `Feed "${feed}": ${mapping.path} is ring readers table version ${version} (magic 0x${magic.toString(16)}), ` +
      `this sdk reads versions ${L.RING_READERS_OLDEST_VERSION}-${L.RING_READERS_VERSION}; close every reader of the feed and delete the file ` +
      '(it only holds live cursor positions and is recreated)',
    { feed, path: mapping.path },
  );
}

/** Where a cursor that waits for its ring looks: a word that changes once a ring is ready. */
export interface RingWatch {
  ringGeneration(): number;
}

/**
 * RingReadersTable — the ring readers of one persist:false feed announce their cursors here so any
 * process can see their lag and losses. Many processes map it; each slot has one writer (its
 * holder), owned through a SlotTable (CAS on the pid word) and freed on close; a dead holder's slot
 * is ignored by list() and reclaimed by the next claim. Its header's ring generation tells cursors waiting for
 * the ring that a writer has initialised it.
 */
export class RingReadersTable implements RingWatch {
  readonly #mapping: Mapping;
  readonly #words: Int32Array;
  readonly #f64: Float64Array;
  readonly #slots: SlotTable;

  private constructor(mapping: Mapping, feed: string) {
    checkHeader(mapping, feed);
    this.#mapping = mapping;
    this.#words = new Int32Array(mapping.buffer);
    this.#f64 = new Float64Array(mapping.buffer);
    this.#slots = new SlotTable(mapping, this.#words, {
      headerLength: L.RING_READERS_HEADER_LENGTH,
      slotLength: L.RING_READERS_SLOT_LENGTH,
      capacity: L.RING_READERS_SLOT_CAPACITY,
      pidOffset: L.RR_PID_OFFSET,
    });
  }

  /** Maps the feed's table, creating it (atomically, once) if absent. */
  static open(feedDir: string, feed: string, mode = DEFAULT_FILE_MODE): RingReadersTable {
    const path = ringReadersPath(feedDir);
    createFileOnce(path, L.RING_READERS_FILE_LENGTH, encodeHeader(), mode);
    return new RingReadersTable(mapInBase(path, {}, feed), feed);
  }

  /** Maps the table if some reader created it; null otherwise (status never creates files). */
  static openExisting(feedDir: string, feed: string): RingReadersTable | null {
    const path = ringReadersPath(feedDir);
    if (!existsSync(path) || statSync(path).size < L.RING_READERS_FILE_LENGTH) return null;
    return new RingReadersTable(mapInBase(path, {}, feed), feed);
  }

  /**
   * Changes each time a writer has opened the feed's ring (created and initialised it, or attached
   * to it). One load of a line only writers store to: cheap enough for every poll of a cursor
   * that waits for its ring. Read it before probing for the ring, so a writer that creates the
   * ring after the probe is seen by the next look.
   */
  ringGeneration(): number {
    return Atomics.load(this.#words, RING_GENERATION);
  }

  /** The writer's side: called once its ring is initialised (never before: readers open it then). */
  announceRing(): void {
    Atomics.add(this.#words, RING_GENERATION, 1);
  }

  /** Claims a free (or dead holder's) slot for a cursor; null when all are taken by live cursors. */
  claim(kind: RingCursorKind): RingReaderSlot | null {
    const slot = this.#slots.claimSlot();
    if (slot < 0) return null;
    return new RingReaderSlot(this.#slots, this.#words, this.#f64, slot, kind);
  }

  /** Cursors of live processes, in slot order (slots of dead pids are left out). */
  list(): RingReaderEntry[] {
    const entries: RingReaderEntry[] = [];
    this.#slots.forEachLive((slot, pid) => {
      const i32 = L.RING_READERS_HEADER_LENGTH / 4 + slot * SLOT_I32;
      const f64 = L.RING_READERS_HEADER_LENGTH / 8 + slot * SLOT_F64;
      const sequence = this.#f64[f64 + L.RR_SEQUENCE_OFFSET / 8] as number;
      entries.push({
        slot,
        pid,
        kind:
          Atomics.load(this.#words, i32 + L.RR_KIND_OFFSET / 4) === L.RR_KIND_READ_AVAILABLE
            ? 'readAvailable'
            : 'stream',
        sequence: Number.isNaN(sequence) ? null : sequence,
        lostRecords: this.#f64[f64 + L.RR_LOST_RECORDS_OFFSET / 8] as number,
        heartbeatUs: this.#f64[f64 + L.RR_HEARTBEAT_US_OFFSET / 8] as number,
        openedUs: this.#f64[f64 + L.RR_OPENED_US_OFFSET / 8] as number,
      });
    });
    return entries;
  }

  close(): void {
    this.#mapping.close();
  }
}

/**
 * RingReaderSlot — one cursor's slot; only its holder writes it. publish() is two plain f64 stores
 * (aligned, so a single 8-byte store each on x86-64: a status reader never sees a torn value, at
 * worst one a batch old); beat() reads the wall clock, ~115 ns on this VM, so callers ration it.
 */
export class RingReaderSlot {
  readonly slot: number;
  readonly #slots: SlotTable;
  readonly #f64: Float64Array;
  readonly #base: number;
  #released = false;

  constructor(slots: SlotTable, words: Int32Array, f64: Float64Array, slot: number, kind: RingCursorKind) {
    this.slot = slot;
    this.#slots = slots;
    this.#f64 = f64;
    const i32 = L.RING_READERS_HEADER_LENGTH / 4 + slot * SLOT_I32;
    this.#base = L.RING_READERS_HEADER_LENGTH / 8 + slot * SLOT_F64;
    Atomics.store(words, i32 + L.RR_KIND_OFFSET / 4, KIND_CODE[kind]);
    const now = Date.now() * 1000;
    f64[this.#base + L.RR_OPENED_US_OFFSET / 8] = now;
    f64[this.#base + L.RR_HEARTBEAT_US_OFFSET / 8] = now;
    this.publish(Number.NaN, 0);
  }

  /** The cursor's next sequence (NaN = not attached yet) and its losses so far. */
  publish(sequence: number, lostRecords: number): void {
    const base = this.#base;
    this.#f64[base + L.RR_SEQUENCE_OFFSET / 8] = sequence;
    this.#f64[base + L.RR_LOST_RECORDS_OFFSET / 8] = lostRecords;
  }

  beat(): void {
    this.#f64[this.#base + L.RR_HEARTBEAT_US_OFFSET / 8] = Date.now() * 1000;
  }

  /** Frees the slot (only if this process still holds it). Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#slots.releaseSlot(this.slot);
  }
}
