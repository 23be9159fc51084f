import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskSpace, fsyncFd, fsyncPath, NativeError, nowMicros, nowNanos } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('clock', () => {
  it('nowMicros is an integer close to Date.now() in microseconds', () => {
    const before = Date.now() * 1000;
    const micros = nowMicros();
    const after = Date.now() * 1000;
    expect(Number.isSafeInteger(micros)).toBe(true);
    // A value check with a generous margin, not a timing assertion.
    expect(micros).toBeGreaterThanOrEqual(before - 60_000_000);
    expect(micros).toBeLessThanOrEqual(after + 60_000_000);
  });

  it('nowNanos agrees with nowMicros', () => {
    const nanos = nowNanos();
    expect(typeof nanos).toBe('bigint');
    const micros = nowMicros();
    expect(Math.abs(Number(nanos / 1000n) - micros)).toBeLessThan(60_000_000);
  });
});

describe('diskSpace', () => {
  it('reports sane totals for the temp directory', () => {
    const space = diskSpace(tempDir());
    expect(space.totalBytes).toBeGreaterThan(0);
    expect(space.freeBytes).toBeLessThanOrEqual(space.totalBytes);
    expect(space.availableBytes).toBeLessThanOrEqual(space.freeBytes);
    expect(space.availableBytes).toBeGreaterThanOrEqual(0);
  });

  it('throws NativeError ENOENT for a missing path', () => {
    const missing = path.join(tempDir(), 'missing');
    expect(() => diskSpace(missing)).toThrow(NativeError);
    expect(() => diskSpace(missing)).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'statvfs', path: missing }),
    );
  });
});

describe('fsync', () => {
  it('fsyncPath works on files and directories', () => {
    const dir = tempDir();
    const file = path.join(dir, 'data.bin');
    const fd = openSync(file, 'w');
    writeSync(fd, 'x');
    fsyncFd(fd);
    closeSync(fd);
    expect(() => fsyncPath(file)).not.toThrow();
    expect(() => fsyncPath(dir)).not.toThrow();
  });

  it('throws NativeError for a missing path and a bad descriptor', () => {
    const missing = path.join(tempDir(), 'missing');
    expect(() => fsyncPath(missing)).toThrow(`open '${missing}': ENOENT (No such file or directory)`);
    expect(() => fsyncFd(987_654)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'fsync' }));
    expect(() => fsyncFd(-1)).toThrow(RangeError);
  });
});
