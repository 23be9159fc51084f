import { readdirSync, rmSync } from 'node:fs';
import { deleteRing } from '../src/index.js';

/** 24-byte test record: ts u64 @0, a u32 @8, b u32 @12, check u32 @16, seq-echo u32 @20. */
export const RECORD_SIZE = 24;
export const TS_OFFSET = 0;

let counter = 0;

/** A fresh shm name; everything under it is removed by cleanupRings(). */
export function testRingName(label: string): string {
  counter++;
  return `dw-test-${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Mixes the fields so that bytes from two different records never pass as one. */
export function checksumOf(ts: number, a: number, b: number, echo: number): number {
  let h = 0x811c9dc5;
  for (const v of [ts >>> 0, Math.floor(ts / 0x100000000), a, b, echo]) {
    h = Math.imul(h ^ v, 0x01000193) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h;
}

export function encodeTestRecord(view: DataView, offset: number, n: number): void {
  const a = Math.imul(n, 2654435761) >>> 0;
  const b = ~n >>> 0;
  const echo = n >>> 0;
  view.setUint32(offset, n >>> 0, true);
  view.setUint32(offset + 4, Math.floor(n / 0x100000000), true);
  view.setUint32(offset + 8, a, true);
  view.setUint32(offset + 12, b, true);
  view.setUint32(offset + 16, checksumOf(n, a, b, echo), true);
  view.setUint32(offset + 20, echo, true);
}

export interface DecodedTestRecord {
  n: number;
  intact: boolean;
}

export function decodeTestRecord(view: DataView, offset: number): DecodedTestRecord {
  const n = view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 0x100000000;
  const a = view.getUint32(offset + 8, true);
  const b = view.getUint32(offset + 12, true);
  const check = view.getUint32(offset + 16, true);
  const echo = view.getUint32(offset + 20, true);
  const intact =
    check === checksumOf(n, a, b, echo) &&
    echo === n >>> 0 &&
    a === Math.imul(n, 2654435761) >>> 0 &&
    b === ~n >>> 0;
  return { n, intact };
}

/** Records numbered first..first+count-1, as bytes. */
export function testRecords(first: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) encodeTestRecord(view, i * RECORD_SIZE, first + i);
  return bytes;
}

export function numbersIn(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let off = 0; off < bytes.byteLength; off += RECORD_SIZE) {
    const record = decodeTestRecord(view, off);
    if (!record.intact) throw new Error(`torn record at byte ${off}`);
    out.push(record.n);
  }
  return out;
}

export function range(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Deletes the rings (and their default lock files) a test created. */
export function cleanupRings(names: Iterable<string>): void {
  for (const name of names) {
    try {
      deleteRing(name);
    } catch {
      // A test that left a writer open in a killed child: the kernel released the lock already.
    }
  }
}

/** Objects under /dev/shm whose names start with the prefix (for leak assertions). */
export function shmEntries(prefix: string): string[] {
  return readdirSync('/dev/shm').filter((entry) => entry.startsWith(prefix));
}

export function removeShmEntries(prefix: string): void {
  for (const entry of shmEntries(prefix)) rmSync(`/dev/shm/${entry}`, { force: true });
}
