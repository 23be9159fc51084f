import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unlinkShm } from '@deepwater/storage-native';
import { afterEach, expect } from 'vitest';
import { Platform } from '../../src/index.js';
import { ringShmName } from '../../src/ring/index.js';

/**
 * A fresh base directory per test. Afterwards: every platform is closed, the shm objects of the
 * rings named after this base are unlinked (a test that forgot deleteFeed fails), the dir removed.
 */
export function useRingBase(): { base: () => string; open: (path?: string) => Platform } {
  let dir: string | undefined;
  let platforms: Platform[] = [];
  afterEach(() => {
    for (const p of platforms) p.close();
    platforms = [];
    if (dir === undefined) return;
    const prefix = ringShmName(dir, '');
    const leaked = readdirSync('/dev/shm').filter((entry) => entry.startsWith(prefix));
    for (const entry of leaked) unlinkShm(entry);
    rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    expect(leaked, 'rings left in /dev/shm: delete ring feeds with platform.deleteFeed()').toEqual([]);
  });
  const base = () => {
    dir ??= mkdtempSync(join(tmpdir(), 'dw-test-ring-'));
    return dir;
  };
  return {
    base,
    open: (path?: string) => {
      const p = new Platform(path ?? base());
      platforms.push(p);
      return p;
    },
  };
}

export const TRADE_FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

export function tradeSpec(feedName: string, extra: Record<string, unknown> = {}) {
  return { feedName, fields: TRADE_FIELDS, tsCol: 'timestamp_us', ...extra };
}

/** Bytes of record area for `records` 24-byte trade records, as the spec's chunkSizeMb. */
export function mbFor(records: number, recordSize = 24): number {
  return (records * recordSize) / 1_048_576;
}
