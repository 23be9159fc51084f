import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Platform } from '../../src/index.js';

/** A fresh base directory per test, removed (with every platform opened on it) afterwards. */
export function useTempBase(): {
  base: () => string;
  platform: () => Platform;
  open: (path?: string) => Platform;
} {
  let dir: string | undefined;
  let platforms: Platform[] = [];
  afterEach(() => {
    for (const p of platforms) p.close();
    platforms = [];
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const base = () => {
    dir ??= mkdtempSync(join(tmpdir(), 'dw-test-sdk-'));
    return dir;
  };
  const open = (path?: string) => {
    const p = new Platform(path ?? base());
    platforms.push(p);
    return p;
  };
  let first: Platform | undefined;
  return {
    base,
    open,
    platform: () => {
      if (first === undefined || first.closed) first = open();
      return first;
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
