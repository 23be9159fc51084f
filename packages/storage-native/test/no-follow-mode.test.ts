import { chownSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapFile, NativeError, openShm, shmPath, tryLockFile } from '../src/index.js';
import { onCleanup, shmName, tempDir } from './helpers.js';

const isRoot = process.getuid?.() === 0;
let savedUmask = 0;

// The world-readable umask most systems run with: a mode must not depend on it.
beforeEach(() => {
  savedUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(savedUmask);
});

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

function planted(): { dir: string; outside: string; link: string } {
  const dir = tempDir();
  const outside = path.join(dir, 'outside.bin');
  writeFileSync(outside, 'outside, must stay as it is');
  const link = path.join(dir, 'link.bin');
  symlinkSync(outside, link);
  return { dir, outside, link };
}

describe('noFollow', () => {
  it('mapFile refuses a symlink with ELOOP and leaves its target untouched', () => {
    const { outside, link } = planted();
    for (const options of [{ noFollow: true }, { noFollow: true, create: true, size: 8192 }]) {
      let error: unknown;
      try {
        mapFile(link, options).close();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(NativeError);
      expect(error).toMatchObject({ code: 'ELOOP', path: link });
      expect((error as Error).message).toContain('symbolic link');
    }
    expect(readFileSync(outside, 'utf8')).toBe('outside, must stay as it is');
  });

  it('tryLockFile refuses a symlink and does not write its pid into the target', () => {
    const { outside, link } = planted();
    expect(() => tryLockFile(link, { noFollow: true })).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect(readFileSync(outside, 'utf8')).toBe('outside, must stay as it is');
  });

  it('without noFollow a symlink is still followed (the default is unchanged)', () => {
    const { link } = planted();
    const mapping = mapFile(link);
    onCleanup(() => mapping.close());
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});

describe('mode', () => {
  it('applies the mode to a created file whatever the umask', () => {
    const dir = tempDir();
    process.umask(0o077);
    const mapped = path.join(dir, 'mapped.bin');
    mapFile(mapped, { create: true, size: 4096, mode: 0o660 }).close();
    const lockPath = path.join(dir, 'writer.lock');
    tryLockFile(lockPath, { mode: 0o640 })?.release();
    expect(modeOf(mapped)).toBe(0o660);
    expect(modeOf(lockPath)).toBe(0o640);
  });

  it('never changes the mode of a file that already exists', () => {
    const file = path.join(tempDir(), 'existing.bin');
    writeFileSync(file, Buffer.alloc(4096), { mode: 0o600 });
    mapFile(file, { create: true, size: 4096, mode: 0o666 }).close();
    tryLockFile(file, { mode: 0o666 })?.release();
    expect(modeOf(file)).toBe(0o600);
  });

  it('applies the mode to a created shm object', () => {
    const name = shmName('mode');
    openShm(name, { create: true, exclusive: true, size: 4096, mode: 0o660 }).close();
    expect(modeOf(shmPath(name))).toBe(0o660);
  });

  it('rejects a mode that is not a permission mode before any syscall', () => {
    const file = path.join(tempDir(), 'never.bin');
    expect(() => mapFile(file, { create: true, size: 4096, mode: 0o4755 })).toThrow(RangeError);
    expect(() => mapFile(file, { create: true, size: 4096, mode: 1.5 })).toThrow(RangeError);
    expect(() => tryLockFile(file, { mode: -1 })).toThrow(RangeError);
    expect(() => openShm('dw-never', { create: true, size: 4096, mode: '660' as never })).toThrow(RangeError);
    expect(() => statSync(file)).toThrow();
  });
});

describe('openShm mustOwn', () => {
  it.skipIf(!isRoot)('refuses an object another user owns, naming the owner, without resizing it', () => {
    const name = shmName('foreign');
    openShm(name, { create: true, exclusive: true, size: 4096 }).close();
    chownSync(shmPath(name), 65534, 65534);
    let error: unknown;
    try {
      openShm(name, { create: true, size: 8192, mustOwn: true }).close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'EPERM', path: shmPath(name) });
    expect((error as Error).message).toContain('owned by uid 65534');
    expect(statSync(shmPath(name)).size).toBe(4096);
  });

  it('opens an object this process owns', () => {
    const name = shmName('own');
    openShm(name, { create: true, exclusive: true, size: 4096 }).close();
    openShm(name, { mustOwn: true }).close();
  });
});

if (!isRoot) console.warn('no-follow-mode.test.ts: not root, skipping the chown (foreign owner) test');
