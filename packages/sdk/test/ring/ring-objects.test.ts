import {
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shmExists, shmPath, unlinkShm } from '@deepwater/storage-native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeepwaterError, Platform } from '../../src/index.js';
import { ringShmName } from '../../src/ring/index.js';
import { tradeSpec } from './ring-test-base.js';

// Ring objects live in /dev/shm under a predictable name, outside the base directory: the writer
// must not adopt an object someone else put there, and deleteFeed must find the ring again after
// the base was renamed.

const isRoot = process.getuid?.() === 0;
let root: string;
const rings = new Set<string>();
const platforms: Platform[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dw-test-ring-objects-'));
});
afterEach(() => {
  for (const platform of platforms.splice(0)) platform.close();
  for (const ring of rings) unlinkShm(ring);
  rings.clear();
  rmSync(root, { recursive: true, force: true });
});

function open(base: string): Platform {
  const platform = new Platform(base, { logger: false });
  platforms.push(platform);
  return platform;
}

/** A base with ring feed "ticks"; returns the ring's shm name (tracked for cleanup). */
function ringBase(base: string): { platform: Platform; shm: string } {
  const platform = open(base);
  platform.createFeed(tradeSpec('ticks', { persist: false }));
  const shm = ringShmName(base, 'ticks');
  rings.add(shm);
  return { platform, shm };
}

function writerError(platform: Platform): DeepwaterError {
  try {
    platform.createWriter('ticks').close();
  } catch (error) {
    return error as DeepwaterError;
  }
  throw new Error('the writer started on a foreign object');
}

describe('ring objects in /dev/shm', () => {
  it('an empty object pre-created at the ring name is refused with ERR_RING_FOREIGN naming it', () => {
    const { platform, shm } = ringBase(join(root, 'base'));
    closeSync(openSync(shmPath(shm), 'wx', 0o666));
    const error = writerError(platform);
    expect(error.code).toBe('ERR_RING_FOREIGN');
    expect(error.feed).toBe('ticks');
    expect(error.path).toBe(shmPath(shm));
    expect(error.message).toContain(shmPath(shm));
    expect(statSync(shmPath(shm)).size).toBe(0);
    // The writer lock was given back: once the object is removed, a writer starts.
    unlinkShm(shm);
    const writer = platform.createWriter('ticks');
    writer.writeValues(1, 1, 1);
    writer.close();
  });

  it('a non-ring object at the ring name: feedStatus and readers report the same error, naming the feed', () => {
    const { platform, shm } = ringBase(join(root, 'base'));
    writeFileSync(shmPath(shm), Buffer.alloc(8192, 7));
    const codes = [() => platform.feedStatus('ticks'), () => platform.createReader('ticks').range(0, 10)].map(
      (action) => {
        try {
          action();
        } catch (error) {
          expect(error).toMatchObject({ feed: 'ticks', name: 'DeepwaterError' });
          expect((error as Error).message).toContain('Feed "ticks"');
          return (error as DeepwaterError).code;
        }
        throw new Error('did not throw');
      },
    );
    expect(codes).toEqual(['ERR_FORMAT_VERSION', 'ERR_FORMAT_VERSION']);
  });

  it.skipIf(!isRoot)('an object owned by another uid is refused, naming the owner', () => {
    const { platform, shm } = ringBase(join(root, 'base'));
    closeSync(openSync(shmPath(shm), 'wx', 0o666));
    chownSync(shmPath(shm), 65534, 65534);
    const error = writerError(platform);
    expect(error.code).toBe('ERR_RING_FOREIGN');
    expect(error.message).toContain('uid 65534');
    expect(statSync(shmPath(shm)).size).toBe(0);
  });

  it('deleteFeed after the base was renamed removes the ring object of its old name', () => {
    const before = join(root, 'before');
    const { platform, shm } = ringBase(before);
    const writer = platform.createWriter('ticks');
    writer.writeValues(1, 1, 1);
    writer.close();
    platform.close();
    expect(shmExists(shm)).toBe(true);

    const after = join(root, 'after');
    renameSync(before, after);
    rings.add(ringShmName(after, 'ticks'));
    open(after).deleteFeed('ticks');
    expect(shmExists(shm)).toBe(false);
    expect(shmExists(ringShmName(after, 'ticks'))).toBe(false);
  });

  it('a writer in a renamed base starts a ring under the new name and removes the old one', () => {
    const before = join(root, 'before');
    const { platform, shm } = ringBase(before);
    platform.createWriter('ticks').close();
    platform.close();
    const after = join(root, 'after');
    renameSync(before, after);
    const moved = open(after);
    rings.add(ringShmName(after, 'ticks'));
    moved.createWriter('ticks').close();
    expect(shmExists(shm)).toBe(false);
    expect(shmExists(ringShmName(after, 'ticks'))).toBe(true);
    moved.deleteFeed('ticks');
  });

  it('a copy of a base never removes the ring the original still uses', () => {
    const original = join(root, 'original');
    const { platform, shm } = ringBase(original);
    platform.createWriter('ticks').close();
    const copy = join(root, 'copy');
    cpSync(original, copy, { recursive: true });
    const copied = open(copy);
    rings.add(ringShmName(copy, 'ticks'));
    copied.createWriter('ticks').close();
    copied.deleteFeed('ticks');
    expect(shmExists(shm)).toBe(true);
    expect(existsSync(join(original, 'feeds', 'ticks'))).toBe(true);
    platform.deleteFeed('ticks');
    expect(shmExists(shm)).toBe(false);
  });
});

if (!isRoot) console.warn('ring-objects.test.ts: not root, skipping the other-owner case');
