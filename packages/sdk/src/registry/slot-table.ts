import type { Mapping } from '@deepwater/storage-native';

/** kill(pid, 0): true while the process exists (EPERM = it exists under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where a table's slots are: a header, then `capacity` slots of `slotLength` bytes. */
export interface SlotGeometry {
  headerLength: number;
  slotLength: number;
  capacity: number;
  /** Offset of the holder's pid (an int32) inside a slot. */
  pidOffset: number;
}

/**
 * SlotTable — the ownership protocol of the disk and ring readers tables (one implementation, two
 * file formats): a slot belongs to the process whose pid is in its pid word. A slot is claimed with
 * a CAS (0 -> pid, or a dead holder's pid -> pid) and freed with a CAS (pid -> 0), so processes
 * never take each other's slots, and a process killed without closing leaves a slot the next claim
 * reclaims. What a slot holds besides its pid is the caller's.
 */
export class SlotTable {
  readonly #mapping: Mapping;
  readonly #words: Int32Array;
  readonly #geometry: SlotGeometry;

  constructor(mapping: Mapping, words: Int32Array, geometry: SlotGeometry) {
    this.#mapping = mapping;
    this.#words = words;
    this.#geometry = geometry;
  }

  get capacity(): number {
    return this.#geometry.capacity;
  }

  /** Byte offset of `slot` in the file. */
  slotOffset(slot: number): number {
    return this.#geometry.headerLength + slot * this.#geometry.slotLength;
  }

  #pidIndex(slot: number): number {
    return (this.slotOffset(slot) + this.#geometry.pidOffset) / 4;
  }

  /**
   * Claims a free slot, or one whose holder is dead, for this process: its number, or -1 when live
   * processes hold them all (or the table is closed). `onReclaimed` runs first on a slot taken from
   * a dead holder, while this process already owns it.
   */
  claimSlot(onReclaimed?: (slot: number) => void): number {
    if (this.#mapping.closed) return -1;
    const pid = process.pid;
    for (let slot = 0; slot < this.#geometry.capacity; slot++) {
      const index = this.#pidIndex(slot);
      const holder = Atomics.load(this.#words, index);
      if (holder !== 0 && (holder === pid || isProcessAlive(holder))) continue;
      if (Atomics.compareExchange(this.#words, index, holder, pid) !== holder) continue;
      onReclaimed?.(slot);
      return slot;
    }
    return -1;
  }

  /** Frees `slot` if this process still holds it (a negative slot or a closed table: nothing). */
  releaseSlot(slot: number): void {
    if (slot < 0 || this.#mapping.closed) return;
    Atomics.compareExchange(this.#words, this.#pidIndex(slot), process.pid, 0);
  }

  /** Calls `fn` for each slot held by a live process, in slot order. */
  forEachLive(fn: (slot: number, pid: number) => void): void {
    if (this.#mapping.closed) return;
    for (let slot = 0; slot < this.#geometry.capacity; slot++) {
      const pid = Atomics.load(this.#words, this.#pidIndex(slot));
      if (pid !== 0 && isProcessAlive(pid)) fn(slot, pid);
    }
  }

  /** Frees the slots of dead processes; `beforeFree` runs on each first (to give back its share). */
  reapDead(beforeFree: (slot: number) => void): void {
    if (this.#mapping.closed) return;
    for (let slot = 0; slot < this.#geometry.capacity; slot++) {
      const index = this.#pidIndex(slot);
      const holder = Atomics.load(this.#words, index);
      if (holder === 0 || holder === process.pid || isProcessAlive(holder)) continue;
      beforeFree(slot);
      Atomics.compareExchange(this.#words, index, holder, 0);
    }
  }
}
