import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';
import { afterEach } from 'vitest';

/** Every field type, with padding: 54-byte records. */
export const ALL_TYPES = [
  { name: 'ts', type: 'uint64' },
  { name: 'u8', type: 'uint8' },
  { name: 'u16', type: 'uint16' },
  { name: 'u32', type: 'uint32' },
  { name: 'u64', type: 'uint64' },
  { name: 'pad', type: '_3' },
  { name: 'i8', type: 'int8' },
  { name: 'i16', type: 'int16' },
  { name: 'i32', type: 'int32' },
  { name: 'i64', type: 'int64' },
  { name: 'f32', type: 'float32' },
  { name: 'f64', type: 'float64' },
  { name: 'c', type: 'char' },
];

/** Record i of the all-types feed: distinct, extreme-ish values in every field. */
export function allTypesRow(i: number): unknown[] {
  return [
    1_700_000_000_000_000n + BigInt(i),
    i % 256,
    (i * 7) % 65536,
    (i * 2654435761) % 4294967296,
    BigInt(i) * 1_000_000_007n + 18_000_000_000_000_000_000n,
    (i % 256) - 128,
    ((i * 3) % 65536) - 32768,
    i % 2 === 0 ? -2147483648 + i : 2147483647 - i,
    -9_000_000_000_000_000_000n + BigInt(i) * 3n,
    Math.fround(i * 0.25 - 100),
    i % 3 === 0 ? -1e300 / (i + 1) : i * Math.PI,
    String.fromCharCode(32 + (i % 95)),
  ];
}

export const TRADES = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

/** Temp base directories per test, removed with their platforms (and ring shm objects) afterwards. */
export function useBases(): { base: () => string; open: (base: string) => Platform } {
  const dirs: string[] = [];
  const platforms: Platform[] = [];
  afterEach(() => {
    for (const p of platforms) {
      if (!p.closed) p.close();
    }
    for (const dir of dirs) {
      // Rings live in /dev/shm: deleteFeed unlinks them.
      const p = new Platform(dir);
      for (const f of p.listFeeds()) if (!f.persist) p.deleteFeed(f.name, { missingOk: true });
      p.close();
      rmSync(dir, { recursive: true, force: true });
    }
    dirs.length = 0;
    platforms.length = 0;
  });
  return {
    base: () => {
      const dir = mkdtempSync(join(tmpdir(), 'dw-test-bridge-'));
      dirs.push(dir);
      return dir;
    },
    open: (base) => {
      const p = new Platform(base);
      platforms.push(p);
      return p;
    },
  };
}

/** Every record the feed holds, as one byte array. */
export function heldBytes(platform: Platform, feed: string): Uint8Array {
  const reader = platform.createReader(feed);
  try {
    return reader.range(0, Number.MAX_SAFE_INTEGER, { format: 'raw' });
  } finally {
    reader.close();
  }
}
