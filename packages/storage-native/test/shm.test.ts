import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NativeError, openShm, shmExists, shmPath, unlinkShm } from '../src/index.js';
import { SHM_NAME_MAX_LENGTH } from '../src/shm.js';
import { onCleanup, runFixture, shmName } from './helpers.js';

describe('openShm', () => {
  it('creates an object under /dev/shm and maps it', () => {
    const name = shmName('create');
    const mapping = openShm(name, { size: 4096, create: true });
    onCleanup(() => mapping.close());
    expect(mapping.kind).toBe('shm');
    expect(mapping.path).toBe(`/dev/shm/${name}`);
    expect(mapping.size).toBe(4096);
    expect(statSync(`/dev/shm/${name}`).size).toBe(4096);
  });

  it('accepts the name with or without its leading slash', () => {
    const name = shmName('slash');
    openShm(`/${name}`, { size: 100, create: true }).close();
    const again = openShm(name);
    onCleanup(() => again.close());
    expect(again.size).toBe(100);
    expect(again.path).toBe(shmPath(`/${name}`));
  });

  it('shows a child process what this process wrote', async () => {
    const name = shmName('to-child');
    const mapping = openShm(name, { size: 4096, create: true });
    onCleanup(() => mapping.close());
    new Float64Array(mapping.buffer, 0, 1)[0] = 6.5;
    new Uint32Array(mapping.buffer, 8, 1)[0] = 99;
    expect(await runFixture('read-words', [`shm:${name}`])).toEqual({ value: 6.5, word: 99, size: 4096 });
  });

  it('shows this process what a child process wrote', async () => {
    const name = shmName('from-child');
    const mapping = openShm(name, { size: 4096, create: true });
    onCleanup(() => mapping.close());
    await runFixture('write-words', [`shm:${name}`, '4096', '1.25', '7']);
    expect(new Float64Array(mapping.buffer, 0, 1)[0]).toBe(1.25);
    expect(new Uint32Array(mapping.buffer, 8, 1)[0]).toBe(7);
  });

  it('grows an object but never shrinks it', () => {
    const name = shmName('grow');
    openShm(name, { size: 100, create: true }).close();
    openShm(name, { size: 8192, create: true }).close();
    const smaller = openShm(name, { size: 10, create: true });
    onCleanup(() => smaller.close());
    expect(smaller.size).toBe(10);
    expect(statSync(`/dev/shm/${name}`).size).toBe(8192);
    const whole = openShm(name);
    onCleanup(() => whole.close());
    expect(whole.size).toBe(8192);
  });

  it('maps an existing object read-only', () => {
    const name = shmName('read-only');
    const writer = openShm(name, { size: 64, create: true });
    onCleanup(() => writer.close());
    new Uint8Array(writer.buffer)[10] = 42;
    const reader = openShm(name, { readOnly: true });
    onCleanup(() => reader.close());
    expect(reader.readOnly).toBe(true);
    expect(new Uint8Array(reader.buffer)[10]).toBe(42);
    new Uint8Array(writer.buffer)[11] = 43;
    expect(new Uint8Array(reader.buffer)[11]).toBe(43);
  });

  it('with exclusive, refuses an existing object with EEXIST', () => {
    const name = shmName('exclusive');
    openShm(name, { size: 100, create: true, exclusive: true }).close();
    expect(() => openShm(name, { size: 100, create: true, exclusive: true })).toThrow(
      expect.objectContaining({ code: 'EEXIST', syscall: 'shm_open', path: `/dev/shm/${name}` }),
    );
  });

  it('throws NativeError ENOENT for a missing object without create', () => {
    const name = shmName('missing');
    expect(() => openShm(name)).toThrow(NativeError);
    expect(() => openShm(name)).toThrow(`shm_open '/dev/shm/${name}': ENOENT (No such file or directory)`);
  });

  it('refuses an empty object without a size, with EINVAL', () => {
    const name = shmName('empty');
    // Creating without a size leaves a 0-byte object, as a creator that has not sized it yet would.
    expect(() => openShm(name, { create: true })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(shmExists(name)).toBe(true);
  });

  it('does not leave an exclusively created object behind when mapping it fails', () => {
    const name = shmName('exclusive-fail');
    expect(() => openShm(name, { create: true, exclusive: true })).toThrow(
      expect.objectContaining({ code: 'EINVAL' }),
    );
    expect(shmExists(name)).toBe(false);
  });

  it.each([
    ['a/b', "contains '/'"],
    ['//a', "contains '/'"],
    ['', 'empty'],
    ['/', 'empty'],
    ['x'.repeat(SHM_NAME_MAX_LENGTH + 1), 'longer than 250'],
    ['..', 'not a valid name'],
  ])('rejects the name %j with a clear error', (name, problem) => {
    expect(() => openShm(name, { size: 10, create: true })).toThrow(TypeError);
    expect(() => openShm(name, { size: 10, create: true })).toThrow(problem);
    expect(() => unlinkShm(name)).toThrow(TypeError);
    expect(() => shmExists(name)).toThrow(TypeError);
  });

  it('accepts a name of exactly the maximum length', () => {
    const name = shmName('max');
    const long = name + 'x'.repeat(SHM_NAME_MAX_LENGTH - name.length);
    onCleanup(() => unlinkShm(long));
    openShm(long, { size: 10, create: true }).close();
    expect(shmExists(long)).toBe(true);
  });

  it('rejects option combinations that make no sense', () => {
    const name = shmName('options');
    expect(() => openShm(name, { exclusive: true })).toThrow('exclusive requires create: true');
    expect(() => openShm(name, { create: true, readOnly: true, size: 10 })).toThrow(TypeError);
    expect(() => openShm(name, { size: -5, create: true })).toThrow(RangeError);
    expect(() => openShm(name, { creat: true } as never)).toThrow('did you mean "create"?');
    expect(shmExists(name)).toBe(false);
  });
});

describe('unlinkShm and shmExists', () => {
  it('reports existence and unlinks once', () => {
    const name = shmName('unlink');
    expect(shmExists(name)).toBe(false);
    openShm(name, { size: 64, create: true }).close();
    expect(shmExists(name)).toBe(true);
    expect(shmExists(`/${name}`)).toBe(true);
    expect(unlinkShm(name)).toBe(true);
    expect(shmExists(name)).toBe(false);
    expect(existsSync(`/dev/shm/${name}`)).toBe(false);
    expect(unlinkShm(name)).toBe(false);
  });

  it('keeps an unlinked object usable by a mapping that is still open', () => {
    const name = shmName('unlinked-live');
    const mapping = openShm(name, { size: 64, create: true });
    onCleanup(() => mapping.close());
    unlinkShm(name);
    new Uint8Array(mapping.buffer)[63] = 5;
    expect(new Uint8Array(mapping.buffer)[63]).toBe(5);
  });
});
