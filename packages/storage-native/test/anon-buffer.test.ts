import { describe, expect, it } from 'vitest';
import { allocateBuffer } from '../src/index.js';
import { startFixture } from './helpers.js';

describe('allocateBuffer', () => {
  it('returns a zero-filled, writable ArrayBuffer of exactly the asked length', () => {
    const length = 8 * 1024 * 1024 + 24;
    const buffer = allocateBuffer(length);
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(buffer.byteLength).toBe(length);
    const bytes = new Uint8Array(buffer);
    expect(bytes.every((byte) => byte === 0)).toBe(true);
    const values = new Float64Array(buffer, 0, length >> 3);
    values[0] = 1.5;
    values[values.length - 1] = -2.25;
    expect([values[0], values[values.length - 1]]).toEqual([1.5, -2.25]);
  });

  it('populates a large buffer over several threads with the same zero-filled result', () => {
    const length = 40 * 1024 * 1024 + 4096; // above the 32 MiB from which threads are used
    const buffer = allocateBuffer(length, { threads: 3 });
    expect(buffer.byteLength).toBe(length);
    const words = new BigUint64Array(buffer);
    expect(words.every((word) => word === 0n)).toBe(true);
    words[words.length - 1] = 7n;
    expect(words[words.length - 1]).toBe(7n);
    expect(() => allocateBuffer(64, { threads: 0 })).toThrow(
      /allocateBuffer: threads must be an integer >= 1/,
    );
    expect(() => allocateBuffer(64, { thread: 2 } as object)).toThrow(/unknown option "thread".*"threads"/);
  });

  it('gives an empty buffer for 0 bytes', () => {
    expect(allocateBuffer(0).byteLength).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '64' as unknown as number])(
    'refuses byteLength %s with a RangeError naming it',
    (byteLength) => {
      expect(() => allocateBuffer(byteLength)).toThrow(RangeError);
      expect(() => allocateBuffer(byteLength)).toThrow(
        /allocateBuffer: byteLength must be a non-negative integer/,
      );
    },
  );

  it('reports an allocation the kernel refuses as a NativeError, not a crash', () => {
    // 2^52 bytes: far beyond any address space this machine can map.
    expect(() => allocateBuffer(2 ** 52)).toThrow(/mmap|ENOMEM|too large/);
  });

  it('unmaps each buffer once V8 collects it (1.5 GiB churned through 64 MiB buffers)', async () => {
    const fixture = startFixture('anon-buffer-churn', [], ['--expose-gc']);
    const report = (await fixture.nextMessage()) as { checksum: number; stillMapped: number };
    expect(report.checksum).toBe((24 * 25) / 2);
    expect(report.stillMapped).toBeLessThanOrEqual(2);
    expect((await fixture.exited).code).toBe(0);
  });
});
