import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileLock, lockHolder, NativeError, tryLockFile } from '../src/index.js';
import { onCleanup, startFixture, tempDir } from './helpers.js';

function tracked(lock: FileLock | null): FileLock {
  expect(lock).not.toBeNull();
  onCleanup(() => lock!.release());
  return lock!;
}

describe('tryLockFile', () => {
  it('creates the lock file and records this process pid in it', () => {
    const file = path.join(tempDir(), 'writer.lock');
    const lock = tracked(tryLockFile(file));
    expect(lock.path).toBe(file);
    expect(lock.released).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    expect(lockHolder(file)).toBe(process.pid);
  });

  it('refuses a second lock in the same process (locks are per handle)', () => {
    const file = path.join(tempDir(), 'same-process.lock');
    tracked(tryLockFile(file));
    expect(tryLockFile(file)).toBeNull();
  });

  it('replaces a stale pid left in the file by an earlier holder', () => {
    const file = path.join(tempDir(), 'stale.lock');
    writeFileSync(file, '999999999\nleftover text');
    tracked(tryLockFile(file));
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('is free again after release(), which is idempotent and clears the pid', () => {
    const file = path.join(tempDir(), 'release.lock');
    const lock = tryLockFile(file)!;
    lock.release();
    expect(lock.released).toBe(true);
    expect(() => lock.release()).not.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(lockHolder(file)).toBeNull();
    tracked(tryLockFile(file));
  });

  it('is released by `using`', () => {
    const file = path.join(tempDir(), 'using.lock');
    {
      using lock = tryLockFile(file);
      expect(lock).not.toBeNull();
      expect(tryLockFile(file)).toBeNull();
    }
    tracked(tryLockFile(file));
  });

  it('is refused while a child holds it, names the child, and is freed by the kernel when the child is SIGKILLed', async () => {
    const file = path.join(tempDir(), 'child.lock');
    const holder = startFixture('lock-holder', [file]);
    const { locked, pid } = await holder.nextMessage<{ locked: boolean; pid: number }>();
    expect(locked).toBe(true);
    expect(pid).toBe(holder.child.pid);

    expect(tryLockFile(file)).toBeNull();
    expect(lockHolder(file)).toBe(pid);

    holder.child.kill('SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');

    expect(lockHolder(file)).toBeNull();
    tracked(tryLockFile(file));
    expect(lockHolder(file)).toBe(process.pid);
  });

  it('refuses a child while this process holds it', async () => {
    const file = path.join(tempDir(), 'parent.lock');
    tracked(tryLockFile(file));
    const contender = startFixture('lock-holder', [file]);
    expect(await contender.nextMessage()).toMatchObject({ locked: false });
  });

  it('throws NativeError for a directory or a missing parent directory', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub'));
    expect(() => tryLockFile(path.join(dir, 'sub'))).toThrow(
      expect.objectContaining({ code: 'EISDIR', path: path.join(dir, 'sub') }),
    );
    const missing = path.join(dir, 'nope', 'x.lock');
    expect(() => tryLockFile(missing)).toThrow(NativeError);
    expect(() => tryLockFile(missing)).toThrow(`open '${missing}': ENOENT`);
  });
});

describe('lockHolder', () => {
  it('returns null for a missing file and for an unlocked file with a pid in it', () => {
    const dir = tempDir();
    expect(lockHolder(path.join(dir, 'none.lock'))).toBeNull();
    writeFileSync(path.join(dir, 'stale.lock'), '12345\n');
    expect(lockHolder(path.join(dir, 'stale.lock'))).toBeNull();
  });
});
