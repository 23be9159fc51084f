// Issue #13 item 3: chunkSizeMb >= 4096 aborted the process (a double free when Node refused the
// ArrayBuffer) and a ring of 1e4 MiB left a 14 GB object in /dev/shm. The bound is now checked by
// createFeed, with an error naming the feed, the setting and its value; nothing is created.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_MAPPING_BYTES } from '@deepwater/storage-native';
import { describe, expect, it } from 'vitest';
import type { DeepwaterError } from '../src/index.js';
import { ringShmName } from '../src/ring/index.js';
import { useTempBase } from './helpers/temp-base.js';

const t = useTempBase();
const fields = [
  { name: 'price', type: 'float64' },
  { name: 'ts', type: 'uint64' },
] as const;

function createFeedError(feedName: string, persist: boolean, chunkSizeMb: number): DeepwaterError {
  try {
    t.platform().createFeed({ feedName, persist, fields: [...fields], tsCol: 'ts', chunkSizeMb });
  } catch (error) {
    return error as DeepwaterError;
  }
  throw new Error(`createFeed accepted chunkSizeMb ${chunkSizeMb}`);
}

// Node >= 22 maps up to 2^53 bytes: there createFeed's fixed maximum (16384 MiB) refuses first and
// the mapping bound cannot be reached, so these cases exist only where it is small (Node 20: 4 GiB).
const MAPPING_BOUND_REACHABLE = MAX_MAPPING_BYTES < 16384 * 1024 * 1024;
if (!MAPPING_BOUND_REACHABLE)
  console.log(
    `skipped: chunk sizes past MAX_MAPPING_BYTES (${MAX_MAPPING_BYTES}) exceed the 16384 MiB maximum first`,
  );

describe('chunk sizes past what one mapping can hold', () => {
  it.skipIf(!MAPPING_BOUND_REACHABLE).each([
    [true, 4096],
    [true, 1e4],
    [false, 4096],
    [false, 1e4],
  ])(
    'persist %s, chunkSizeMb %d: ERR_INVALID_SPEC at createFeed, nothing created',
    (persist, chunkSizeMb) => {
      const error = createFeedError('huge', persist, chunkSizeMb);
      expect(error.code).toBe('ERR_INVALID_SPEC');
      expect(error.feed).toBe('huge');
      expect(error.message).toContain(`chunkSizeMb ${chunkSizeMb}`);
      expect(error.message).toContain(String(MAX_MAPPING_BYTES));
      expect(t.platform().listFeeds()).toEqual([]);
      expect(existsSync(join(t.base(), 'feeds', 'huge'))).toBe(false);
      const ring = ringShmName(t.base(), 'huge');
      expect(readdirSync('/dev/shm').filter((name) => name === ring)).toEqual([]);
    },
  );

  it('accepts the largest chunk that fits (no writer: that would reserve 4 GiB of disk)', () => {
    const info = t
      .platform()
      .createFeed({ feedName: 'big', fields: [...fields], tsCol: 'ts', chunkSizeMb: 4095 });
    expect(info.chunkSizeBytes).toBe(4095 * 1024 * 1024);
  });
});
