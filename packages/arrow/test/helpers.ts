import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach } from 'vitest';

/** A fresh base directory per test, its platforms closed and the directory removed afterwards. */
export function useBase(): { dir: () => string; open: () => Platform } {
  let dir: string | undefined;
  let platforms: Platform[] = [];
  afterEach(() => {
    for (const p of platforms) p.close();
    platforms = [];
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const base = () => {
    dir ??= mkdtempSync(join(tmpdir(), 'dw-arrow-'));
    return dir;
  };
  return {
    dir: base,
    open: () => {
      const p = new Platform(base());
      platforms.push(p);
      return p;
    },
  };
}

/** Every field type, padding included, with descriptions. */
export const ALL_FIELDS = [
  { name: 'u8', type: 'uint8', desc: 'an unsigned byte' },
  { name: 'i8', type: 'int8' },
  { name: 'u16', type: 'uint16' },
  { name: 'i16', type: 'int16' },
  { name: 'side', type: 'char', desc: "'B' or 'S'" },
  { name: '_', type: '_3' },
  { name: 'u32', type: 'uint32' },
  { name: 'i32', type: 'int32' },
  { name: 'f32', type: 'float32' },
  { name: 'u64', type: 'uint64', desc: 'beyond 2^53' },
  { name: 'i64', type: 'int64' },
  { name: 'f64', type: 'float64' },
  { name: 'ts', type: 'uint64', desc: 'exchange time, ns' },
];
export const BASE_NS = 1_764_151_200_000_000_000n;

/** Rows with extreme values of every type (NaN, -0, 64-bit values >= 2^53, chars >= 0x80). */
export function allRows(count: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let k = 0; k < count; k++) {
    rows.push([
      k % 256,
      (k % 256) - 128,
      65535 - k,
      -32768 + k,
      String.fromCharCode([66, 83, 0xe9, 44, 34][k % 5]),
      4294967295 - k,
      -2147483648 + k,
      k * 0.5,
      18446744073709551615n - BigInt(k),
      -9223372036854775808n + BigInt(k * 1_000_003),
      k % 7 === 0 ? Number.NaN : k % 11 === 0 ? -0 : k / 3,
      BASE_NS + BigInt(Math.floor(k / 3)),
    ]);
  }
  return rows;
}

export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}
