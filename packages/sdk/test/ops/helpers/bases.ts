import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '../../../src/index.js';

export const HOUR_US = 3600e6;

/** 24-byte records: three per KiB-ish chunk boundary math stays easy to follow. */
export const TRADE_FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];
export const RECORD_SIZE = 24;
/** Chunk data size for tests: 10 records of 24 bytes per chunk. */
export const CHUNK_BYTES = 240;
export const RECORDS_PER_CHUNK = 10;

export interface TestBase {
  path: string;
  remove(): void;
}

export function tempBase(prefix = 'dw-test-ops-'): TestBase {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface FeedOptions {
  name?: string;
  retentionHours?: number;
  persist?: boolean;
}

/**
 * Creates a feed and writes `timestamps.length` records (price = index, size = 1) through the public
 * API, so every test base is one the real writer produced. Returns the timestamps written.
 */
export function writeFeed(basePath: string, timestamps: readonly number[], options: FeedOptions = {}): void {
  const platform = new Platform(basePath);
  try {
    platform.createFeed({
      feedName: options.name ?? 'trades',
      fields: TRADE_FIELDS,
      tsCol: 'timestamp_us',
      chunkSizeBytes: CHUNK_BYTES,
      retentionHours: options.retentionHours ?? 72,
      persist: options.persist ?? true,
    });
    if (timestamps.length === 0) return;
    const writer = platform.createWriter(options.name ?? 'trades');
    timestamps.forEach((ts, i) => {
      writer.writeValues(i, 1, ts);
    });
    writer.close();
  } finally {
    platform.close();
  }
}

/** `count` timestamps one second apart, ending `endAgoUs` before `nowUs`. */
export function secondsApart(count: number, nowUs: number, endAgoUs = 0): number[] {
  return Array.from({ length: count }, (_, i) => nowUs - endAgoUs - (count - 1 - i) * 1e6);
}

export function readAll(basePath: string, feed = 'trades'): unknown[][] {
  const platform = new Platform(basePath);
  try {
    const reader = platform.createReader(feed);
    return reader.range(0, Number.MAX_SAFE_INTEGER) as unknown[][];
  } finally {
    platform.close();
  }
}
