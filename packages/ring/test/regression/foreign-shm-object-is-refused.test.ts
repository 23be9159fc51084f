import { chownSync, closeSync, openSync, statSync, writeSync } from 'node:fs';
import { openShm, shmPath, unlinkShm } from '@deepwater/storage-native';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADER_LENGTH, RingForeignError, RingReader, RingWriter, ringByteLength } from '../../src/index.js';
import { cleanupRings, RECORD_SIZE, TS_OFFSET, testRingName } from '../helpers.js';

// Ring names are predictable, so anyone can take one first. The writer creates its object with
// O_EXCL and, when the name is taken, checks the object before trusting a byte of it: a foreign
// one is refused with an error naming it (it used to be a raw EINVAL, or worse, adopted).

const isRoot = process.getuid?.() === 0;
const GEOMETRY = { recordSize: RECORD_SIZE, capacity: 8, timestampOffset: TS_OFFSET };
const names = new Set<string>();
afterEach(() => {
  cleanupRings(names);
  for (const name of names) unlinkShm(name);
  names.clear();
});

function name(label: string): string {
  const ring = testRingName(label);
  names.add(ring);
  return ring;
}

function refusal(ring: string): RingForeignError {
  try {
    RingWriter.open(ring, GEOMETRY).close();
  } catch (error) {
    return error as RingForeignError;
  }
  throw new Error('the writer accepted the object');
}

/** Creates /dev/shm/<ring> holding exactly `bytes`, as another program would. */
function plant(ring: string, bytes: Uint8Array): void {
  const fd = openSync(shmPath(ring), 'wx', 0o644);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

describe('a pre-existing shm object at the ring name', () => {
  it('an empty one is refused with ERR_RING_FOREIGN naming it, and left as it was', () => {
    const ring = name('empty');
    plant(ring, new Uint8Array(0));
    const error = refusal(ring);
    expect(error).toBeInstanceOf(RingForeignError);
    expect(error.code).toBe('ERR_RING_FOREIGN');
    expect(error.message).toContain(shmPath(ring));
    expect(error.message).toContain('empty');
    expect(statSync(shmPath(ring)).size).toBe(0);
  });

  it('one of another size without a ring header is refused', () => {
    const ring = name('garbage');
    plant(ring, new Uint8Array(HEADER_LENGTH + 100).fill(0x5a));
    expect(refusal(ring).message).toContain('ring magic');
    expect(statSync(shmPath(ring)).size).toBe(HEADER_LENGTH + 100);
  });

  it.skipIf(!isRoot)('one owned by another user is refused, naming the owner, and never resized', () => {
    const ring = name('chown');
    plant(ring, new Uint8Array(0));
    chownSync(shmPath(ring), 65534, 65534);
    const error = refusal(ring);
    expect(error.code).toBe('ERR_RING_FOREIGN');
    expect(error.message).toContain('uid 65534');
    expect(statSync(shmPath(ring)).size).toBe(0);
  });

  it('a sized one of ours whose creator died before the header is recreated, as before', () => {
    const ring = name('half-made');
    openShm(ring, {
      create: true,
      exclusive: true,
      size: ringByteLength(GEOMETRY),
    }).close();
    using writer = RingWriter.open(ring, GEOMETRY);
    writer.writeBytes(new Uint8Array(RECORD_SIZE));
    using reader = RingReader.open(ring, { start: 'oldest' });
    expect(reader.published()).toBe(1);
  });

  it('the ring it creates gets the requested mode whatever the umask', () => {
    const ring = name('mode');
    const saved = process.umask(0o022);
    try {
      RingWriter.open(ring, { ...GEOMETRY, mode: 0o660 }).close();
    } finally {
      process.umask(saved);
    }
    expect((statSync(shmPath(ring)).mode & 0o777).toString(8)).toBe('660');
  });
});

if (!isRoot) console.warn('foreign-shm-object-is-refused: not root, skipping the other-owner case');
