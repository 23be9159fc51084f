import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DeepwaterRangeError } from '@deepwater/errors';
import { describe, expect, it } from 'vitest';
import { type Mapping, MappingClosedError, mapFile, NativeError } from '../src/index.js';
import { onCleanup, runFixture, startFixture, tempDir } from './helpers.js';

function tracked(mapping: Mapping): Mapping {
  onCleanup(() => mapping.close());
  return mapping;
}

function isMapped(file: string): boolean {
  return readFileSync('/proc/self/maps', 'utf8').includes(file);
}

describe('mapFile', () => {
  it('creates a file of the requested size and maps it', () => {
    const file = path.join(tempDir(), 'chunk.bin');
    const mapping = tracked(mapFile(file, { size: 8192, create: true }));
    expect(mapping.size).toBe(8192);
    expect(mapping.kind).toBe('file');
    expect(mapping.path).toBe(file);
    expect(mapping.readOnly).toBe(false);
    expect(mapping.buffer.byteLength).toBe(8192);
    expect(statSync(file).size).toBe(8192);
    expect((statSync(file).mode & 0o777).toString(8)).toMatch(/^6[0-4][0-4]$/);
  });

  it('maps the whole file when no size is given', () => {
    const file = path.join(tempDir(), 'whole.bin');
    writeFileSync(file, Buffer.alloc(12_345, 7));
    const mapping = tracked(mapFile(file));
    expect(mapping.size).toBe(12_345);
    expect(new Uint8Array(mapping.buffer)[12_344]).toBe(7);
  });

  it('returns the same ArrayBuffer on every access', () => {
    const mapping = tracked(mapFile(path.join(tempDir(), 'same.bin'), { size: 4096, create: true }));
    expect(mapping.buffer).toBe(mapping.buffer);
  });

  it('writes through to the file', () => {
    const file = path.join(tempDir(), 'write.bin');
    const mapping = tracked(mapFile(file, { size: 4096, create: true }));
    new Uint8Array(mapping.buffer).set([1, 2, 3], 100);
    mapping.msync();
    expect([...readFileSync(file).subarray(100, 103)]).toEqual([1, 2, 3]);
  });

  it('shows a child process what this process wrote', async () => {
    const file = path.join(tempDir(), 'to-child.bin');
    const mapping = tracked(mapFile(file, { size: 4096, create: true }));
    new Float64Array(mapping.buffer, 0, 1)[0] = 123.25;
    new Uint32Array(mapping.buffer, 8, 1)[0] = 0xdeadbeef;
    const seen = await runFixture('read-words', [`file:${file}`]);
    expect(seen).toEqual({ value: 123.25, word: 0xdeadbeef, size: 4096 });
  });

  it('shows this process what a child process wrote, in a mapping made before the child wrote', async () => {
    const file = path.join(tempDir(), 'from-child.bin');
    const mapping = tracked(mapFile(file, { size: 4096, create: true }));
    await runFixture('write-words', [`file:${file}`, '4096', '-7.5', '42']);
    expect(new Float64Array(mapping.buffer, 0, 1)[0]).toBe(-7.5);
    expect(new Uint32Array(mapping.buffer, 8, 1)[0]).toBe(42);
  });

  it('grows a smaller file but never shrinks a larger one', () => {
    const file = path.join(tempDir(), 'grow.bin');
    writeFileSync(file, Buffer.alloc(1000, 9));
    tracked(mapFile(file, { size: 5000, create: true }));
    expect(statSync(file).size).toBe(5000);
    const smaller = tracked(mapFile(file, { size: 100, create: true }));
    expect(smaller.size).toBe(100);
    expect(statSync(file).size).toBe(5000);
    expect(readFileSync(file)[999]).toBe(9);
  });

  it('maps read-only without changing the file', () => {
    const file = path.join(tempDir(), 'ro.bin');
    writeFileSync(file, Buffer.from([5, 6, 7, 8]));
    const mapping = tracked(mapFile(file, { readOnly: true }));
    expect(mapping.readOnly).toBe(true);
    expect([...new Uint8Array(mapping.buffer)]).toEqual([5, 6, 7, 8]);
  });

  it('keeps the memory mapped while a TypedArray survives its garbage-collected Mapping', async () => {
    const file = path.join(tempDir(), 'gc.bin');
    const fixture = startFixture('gc-keeps-buffer', [file], ['--expose-gc']);
    expect(await fixture.nextMessage()).toEqual({
      mappingCollected: true,
      first: 42.5,
      second: 43.5,
      length: 512,
    });
    expect((await fixture.exited).code).toBe(0);
  });

  it('survives mapping and closing the same file many times (one backing store per address)', () => {
    const file = path.join(tempDir(), 'remap.bin');
    for (let i = 0; i < 300; i++) {
      const mapping = mapFile(file, { size: 4096, create: true });
      const words = new Uint32Array(mapping.buffer);
      words[0] += 1;
      mapping.close();
    }
    expect(readFileSync(file).readUInt32LE(0)).toBe(300);
  });
});

describe('worker threads', () => {
  it('loads the addon in a worker and maps what the main thread wrote', async () => {
    const file = path.join(tempDir(), 'worker.bin');
    const mapping = tracked(mapFile(file, { size: 4096, create: true }));
    new Float64Array(mapping.buffer, 0, 1)[0] = 3.5;
    const worker = new Worker(fileURLToPath(new URL('./fixtures/ts-worker.mjs', import.meta.url)), {
      workerData: { file, module: new URL('./fixtures/worker-map.ts', import.meta.url).href },
    });
    onCleanup(() => void worker.terminate());
    const reply = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(reply).toEqual({ value: 3.5, errorIsNativeError: true });
  });
});

describe('Mapping.close', () => {
  it('detaches the buffer so earlier TypedArrays have length 0, and is idempotent', () => {
    const mapping = mapFile(path.join(tempDir(), 'close.bin'), { size: 4096, create: true });
    const values = new Float64Array(mapping.buffer);
    const buffer = mapping.buffer;
    expect(values.length).toBe(512);
    mapping.close();
    expect(mapping.closed).toBe(true);
    expect(values.length).toBe(0);
    expect(buffer.byteLength).toBe(0);
    expect(values[0]).toBeUndefined();
    expect(() => mapping.close()).not.toThrow();
  });

  it('unmaps the memory at once', () => {
    const file = path.join(tempDir(), 'unmapped.bin');
    const mapping = mapFile(file, { size: 4096, create: true });
    expect(isMapped(file)).toBe(true);
    mapping.close();
    expect(isMapped(file)).toBe(false);
  });

  it('makes the buffer getter throw ERR_MAPPING_CLOSED', () => {
    const mapping = mapFile(path.join(tempDir(), 'closed-buffer.bin'), { size: 4096, create: true });
    mapping.close();
    expect(() => mapping.buffer).toThrow(MappingClosedError);
    expect(() => mapping.buffer).toThrow(expect.objectContaining({ code: 'ERR_MAPPING_CLOSED' }));
  });

  it('makes msync, msyncAsync and madvise fail with a clear error', async () => {
    const file = path.join(tempDir(), 'closed-ops.bin');
    const mapping = mapFile(file, { size: 4096, create: true });
    mapping.close();
    expect(() => mapping.msync()).toThrow(`msync: the mapping of '${file}' is closed`);
    expect(() => mapping.madvise('willneed')).toThrow(/madvise: .* is closed/);
    await expect(mapping.msyncAsync()).rejects.toMatchObject({ code: 'ERR_MAPPING_CLOSED' });
  });

  it('works through `using`', () => {
    const file = path.join(tempDir(), 'using.bin');
    let values: Uint8Array;
    {
      using mapping = mapFile(file, { size: 4096, create: true });
      values = new Uint8Array(mapping.buffer);
      values[0] = 1;
    }
    expect(values.length).toBe(0);
    expect(isMapped(file)).toBe(false);
  });
});

describe('msync and madvise', () => {
  it('accepts unaligned in-range offsets and resolves msyncAsync', async () => {
    const file = path.join(tempDir(), 'sync.bin');
    const mapping = tracked(mapFile(file, { size: 3 * 4096, create: true }));
    new Uint8Array(mapping.buffer)[5000] = 77;
    mapping.msync(5000, 1);
    mapping.msync(4097, 8191);
    mapping.msync(mapping.size, 0);
    await expect(mapping.msyncAsync(4999, 2)).resolves.toBeUndefined();
    for (const advice of ['normal', 'random', 'sequential', 'willneed', 'dontneed'] as const) {
      mapping.madvise(advice, 100, 5000);
    }
    // dontneed on a shared file mapping drops pages, not data.
    expect(new Uint8Array(mapping.buffer)[5000]).toBe(77);
    expect(readFileSync(file)[5000]).toBe(77);
  });

  it("accepts 'hugepage' and 'nohugepage' (page-cache folio size only: data goes through as before)", () => {
    const file = path.join(tempDir(), 'huge.bin');
    const mapping = tracked(mapFile(file, { size: 6 << 20, create: true }));
    mapping.madvise('hugepage');
    const bytes = new Uint8Array(mapping.buffer);
    bytes.fill(7, 0, 3 << 20);
    mapping.madvise('nohugepage', 4096, 4 << 20);
    bytes[5 << 20] = 9;
    mapping.msync();
    const onDisk = readFileSync(file);
    expect(onDisk[(3 << 20) - 1]).toBe(7);
    expect(onDisk[3 << 20]).toBe(0);
    expect(onDisk[5 << 20]).toBe(9);
    expect(() => mapping.madvise('enormous' as never)).toThrow(
      /unknown advice "enormous".*hugepage or nohugepage/,
    );
  });

  it('keeps the memory mapped until a pending msyncAsync finishes, even after close()', async () => {
    const file = path.join(tempDir(), 'sync-close.bin');
    const mapping = mapFile(file, { size: 1 << 20, create: true });
    new Uint8Array(mapping.buffer).fill(1);
    const pending = mapping.msyncAsync();
    mapping.close();
    await expect(pending).resolves.toBeUndefined();
    expect(isMapped(file)).toBe(false);
  });

  it('prefaultAsync faults a range in ahead of the writer without changing its data', async () => {
    const file = path.join(tempDir(), 'prefault.bin');
    const mapping = tracked(mapFile(file, { size: 8 << 20, create: true }));
    new Uint8Array(mapping.buffer)[100] = 42;
    await expect(mapping.prefaultAsync(0, 4 << 20)).resolves.toBeUndefined();
    // The file system holds blocks for the whole file (512-byte units): reserved by mapFile itself.
    expect(statSync(file).blocks).toBeGreaterThanOrEqual((8 << 20) / 512);
    expect(new Uint8Array(mapping.buffer)[100]).toBe(42);
    expect(new Uint8Array(mapping.buffer)[(4 << 20) - 1]).toBe(0);
    await expect(mapping.prefaultAsync(8 << 20, 1)).rejects.toThrow(
      new DeepwaterRangeError('prefaultAsync: range [8388608, 8388609) exceeds the mapping (8388608 bytes)'),
    );
    const readOnly = tracked(mapFile(file, { readOnly: true }));
    await expect(readOnly.prefaultAsync()).rejects.toThrow(TypeError);
    await expect(readOnly.prefaultAsync()).rejects.toThrow(/prefaultAsync: the mapping of .* is read-only/);
    mapping.close();
    await expect(mapping.prefaultAsync()).rejects.toMatchObject({ code: 'ERR_MAPPING_CLOSED' });
  });

  it('populateReadAsync maps a range in on the threadpool, so reading it takes no page faults', async () => {
    const file = path.join(tempDir(), 'populate-async.bin');
    const writer = tracked(mapFile(file, { size: 8 << 20, create: true }));
    const written = new Uint8Array(writer.buffer);
    for (let at = 0; at < written.length; at += 4096) written[at] = (at >>> 12) & 0xff;
    const reader = tracked(mapFile(file, { readOnly: true }));
    await expect(reader.populateReadAsync(0, 4 << 20)).resolves.toBeUndefined();
    const bytes = new Uint8Array(reader.buffer);
    // The control: the same read of pages left unpopulated (which also compiles the loop first).
    const controlBefore = mainThreadMinorFaults();
    sumPages(bytes, 4 << 20, 8 << 20);
    const controlFaults = mainThreadMinorFaults() - controlBefore;
    const before = mainThreadMinorFaults();
    const sum = sumPages(bytes, 0, 4 << 20);
    const faults = mainThreadMinorFaults() - before;
    // 1,024 pages unpopulated: one fault per page, or one per fault-around window of 16 (64). This
    // thread's faults only (the process's count took V8's worker threads' too), and judged against
    // the control: V8 itself faults a few times in this thread on Node 24 (0-18 seen in CI).
    expect(controlFaults).toBeGreaterThanOrEqual(48);
    expect(faults).toBeLessThan(controlFaults / 2);
    expect(sum).toBe(Array.from({ length: 1024 }, (_, page) => page & 0xff).reduce((a, b) => a + b, 0));
    await expect(reader.populateReadAsync(8 << 20, 1)).rejects.toThrow(
      new DeepwaterRangeError(
        'populateReadAsync: range [8388608, 8388609) exceeds the mapping (8388608 bytes)',
      ),
    );
    // The file shrinks under the mapping: a rejection naming the call and the file, never SIGBUS.
    truncateSync(file, 4096);
    await expect(reader.populateReadAsync()).rejects.toThrow(
      expect.objectContaining({
        code: 'EFAULT',
        message: expect.stringMatching(/MADV_POPULATE_READ.*populate-async\.bin/),
      }),
    );
    reader.close();
    await expect(reader.populateReadAsync()).rejects.toMatchObject({ code: 'ERR_MAPPING_CLOSED' });
  });

  it("populate-read maps a range in without changing it, and past the file's end fails with EFAULT, not SIGBUS", () => {
    const file = path.join(tempDir(), 'populate.bin');
    const writer = tracked(mapFile(file, { size: 3 * 4096, create: true }));
    new Uint8Array(writer.buffer)[5000] = 9;
    const reader = tracked(mapFile(file, { readOnly: true }));
    reader.madvise('populate-read', 100, 5000);
    expect(new Uint8Array(reader.buffer)[5000]).toBe(9);
    // The file shrinks under the mapping: touching its last page would raise SIGBUS.
    truncateSync(file, 4096);
    expect(() => reader.madvise('populate-read', 0, 3 * 4096)).toThrow(
      expect.objectContaining({ code: 'EFAULT', message: expect.stringMatching(/madvise.*populate\.bin/) }),
    );
  });

  it("populate-write maps a range in writable without changing it; past the file's end EFAULT, read-only refused", () => {
    const file = path.join(tempDir(), 'populate-write.bin');
    const writer = tracked(mapFile(file, { size: 3 * 4096, create: true }));
    new Uint8Array(writer.buffer)[5000] = 7;
    writer.madvise('populate-write', 4096, 2 * 4096);
    expect(new Uint8Array(writer.buffer)[5000]).toBe(7);
    new Uint8Array(writer.buffer)[9000] = 8;
    expect(readFileSync(file)[9000]).toBe(8);
    // The file shrinks under the mapping: a store to its last page would raise SIGBUS.
    truncateSync(file, 4096);
    expect(() => writer.madvise('populate-write', 0, 3 * 4096)).toThrow(
      expect.objectContaining({
        code: 'EFAULT',
        message: expect.stringMatching(/madvise.*populate-write\.bin/),
      }),
    );
    const readOnly = tracked(mapFile(file, { readOnly: true }));
    expect(() => readOnly.madvise('populate-write')).toThrow(
      /madvise\('populate-write'\): the mapping of .* is read-only/,
    );
  });

  it('rejects ranges outside the mapping with a RangeError naming the numbers', async () => {
    const mapping = tracked(mapFile(path.join(tempDir(), 'range.bin'), { size: 4096, create: true }));
    expect(() => mapping.msync(4097)).toThrow(
      new DeepwaterRangeError('msync: offset 4097 is past the end of the mapping (4096 bytes)'),
    );
    expect(() => mapping.msync(4000, 100)).toThrow(
      new DeepwaterRangeError('msync: range [4000, 4100) exceeds the mapping (4096 bytes)'),
    );
    expect(() => mapping.msync(-1)).toThrow(RangeError);
    expect(() => mapping.msync(1.5)).toThrow(RangeError);
    expect(() => mapping.madvise('willneed', 0, 4097)).toThrow(RangeError);
    expect(() => mapping.madvise('sideways' as 'normal')).toThrow(/unknown advice "sideways"/);
    await expect(mapping.msyncAsync(0, 5000)).rejects.toThrow(RangeError);
  });
});

describe('mapFile bad input', () => {
  it('throws NativeError ENOENT naming the path for a missing file without create', () => {
    const file = path.join(tempDir(), 'missing.bin');
    let error: unknown;
    try {
      mapFile(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NativeError);
    expect(error).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'open', path: file });
    expect((error as Error).message).toBe(`open '${file}': ENOENT (No such file or directory)`);
  });

  it('throws EISDIR for a directory', () => {
    const dir = tempDir();
    expect(() => mapFile(dir)).toThrow(expect.objectContaining({ code: 'EISDIR', path: dir }));
    expect(() => mapFile(dir, { readOnly: true })).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });

  it.each([0, -1, Number.NaN, 1.5, Number.POSITIVE_INFINITY, '10'])(
    'rejects size %s with a RangeError',
    (size) => {
      const file = path.join(tempDir(), 'size.bin');
      expect(() => mapFile(file, { size: size as number, create: true })).toThrow(RangeError);
      expect(() => mapFile(file, { size: size as number, create: true })).toThrow(String(size));
    },
  );

  it('refuses to map past the end of a file without create (that would SIGBUS)', () => {
    const file = path.join(tempDir(), 'short.bin');
    writeFileSync(file, Buffer.alloc(100));
    expect(() => mapFile(file, { size: 4096 })).toThrow(RangeError);
    expect(() => mapFile(file, { size: 4096 })).toThrow(/has 100 bytes/);
    expect(statSync(file).size).toBe(100);
  });

  it('refuses an empty file without a size', () => {
    const file = path.join(tempDir(), 'empty.bin');
    writeFileSync(file, '');
    expect(() => mapFile(file)).toThrow(expect.objectContaining({ code: 'EINVAL', syscall: 'mmap' }));
    expect(() => mapFile(file)).toThrow(/empty/);
  });

  it('rejects contradictory and misspelled options', () => {
    const file = path.join(tempDir(), 'options.bin');
    expect(() => mapFile(file, { create: true, readOnly: true })).toThrow(TypeError);
    expect(() => mapFile(file, { sise: 10 } as never)).toThrow(
      'unknown option "sise" (did you mean "size"?)',
    );
    expect(() => mapFile('')).toThrow(TypeError);
  });

  it('leaves the data of an existing file intact after a failed map', () => {
    const file = path.join(tempDir(), 'intact.bin');
    writeFileSync(file, Buffer.from('deepwater'));
    expect(() => mapFile(file, { size: 0 })).toThrow(RangeError);
    expect(() => mapFile(file, { size: 100 })).toThrow(RangeError);
    expect(readFileSync(file, 'utf8')).toBe('deepwater');
  });
});

/** One byte of every page in [from, to), summed. */
function sumPages(bytes: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let at = from; at < to; at += 4096) sum += bytes[at] as number;
  return sum;
}

/** Minor page faults of this thread (field 10 of /proc/thread-self/stat), not of the process. */
function mainThreadMinorFaults(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'latin1');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[10 - 3]);
}
