import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeepwaterRangeError } from '@deepwater/errors';
import { describe, expect, it } from 'vitest';
import { futexWait, futexWaitAsync, futexWake, mapFile } from '../src/index.js';
import { onCleanup, sleep, startFixture, tempDir } from './helpers.js';

/**
 * Wakes one waiter, retrying until the kernel reports that it woke someone. A single wake could
 * land before the waiter is inside futex(2); a wake count of 1 proves the waiter was asleep on
 * this exact word, so no test depends on how long anything takes.
 */
async function wakeOneWaiter(buffer: ArrayBuffer, byteOffset: number): Promise<void> {
  while (futexWake(buffer, byteOffset, 1) !== 1) await sleep(2);
}

describe('futexWait', () => {
  it('is woken by another process through a shared file mapping', async () => {
    const file = path.join(tempDir(), 'futex.bin');
    const mapping = mapFile(file, { size: 4096, create: true });
    onCleanup(() => mapping.close());
    const waiter = startFixture('futex-waiter', [file, '60000']);
    expect(await waiter.nextMessage()).toEqual({ ready: true });

    await wakeOneWaiter(mapping.buffer, 0);

    expect(await waiter.nextMessage()).toEqual({ result: 'ok', word: 0 });
    expect((await waiter.exited).code).toBe(0);
  });

  it('lets a consumer in another process sleep until a published word changes', async () => {
    const file = path.join(tempDir(), 'futex-publish.bin');
    const mapping = mapFile(file, { size: 4096, create: true });
    onCleanup(() => mapping.close());
    const consumer = startFixture('futex-consumer', [file]);
    expect(await consumer.nextMessage()).toEqual({ ready: true });
    await wakeOneWaiter(mapping.buffer, 0); // proves it is asleep; it goes back to sleep on 0

    Atomics.store(new Int32Array(mapping.buffer), 0, 7);
    const reply = consumer.nextMessage();
    let replied = false;
    void reply.then(() => {
      replied = true;
    });
    // Publish-then-wake as a writer does; a wake that finds nobody is harmless.
    while (!replied) {
      futexWake(mapping.buffer, 0);
      await sleep(2);
    }
    expect(await reply).toEqual({ word: 7 });
  });

  it("returns 'timed-out' when nobody wakes it", () => {
    const buffer = new ArrayBuffer(8);
    expect(futexWait(buffer, 4, 0, 1)).toBe('timed-out');
    expect(futexWait(buffer, 4, 0, 0)).toBe('timed-out');
  });

  it("returns 'not-equal' at once when the word differs from expected", () => {
    const buffer = new ArrayBuffer(8);
    new Int32Array(buffer)[1] = 5;
    expect(futexWait(buffer, 4, 4, 60_000)).toBe('not-equal');
    expect(futexWait(buffer, 4, 5, 1)).toBe('timed-out');
  });

  it('accepts the int32 and uint32 spellings of the same word', () => {
    const buffer = new ArrayBuffer(4);
    new Int32Array(buffer)[0] = -1;
    expect(futexWait(buffer, 0, -1, 1)).toBe('timed-out');
    expect(futexWait(buffer, 0, 0xffffffff, 1)).toBe('timed-out');
    expect(futexWait(buffer, 0, 0, 60_000)).toBe('not-equal');
  });

  it('rejects misaligned and out-of-range offsets with a RangeError before touching memory', () => {
    const buffer = new ArrayBuffer(16);
    expect(() => futexWait(buffer, 2, 0, 1)).toThrow(
      new DeepwaterRangeError(
        'futexWait: byteOffset 2 is not 4-byte aligned (a futex word is an aligned int32)',
      ),
    );
    expect(() => futexWait(buffer, 16, 0, 1)).toThrow(
      new DeepwaterRangeError('futexWait: byteOffset 16 + 4 exceeds the buffer (16 bytes)'),
    );
    expect(() => futexWait(buffer, -4, 0, 1)).toThrow(RangeError);
    expect(() => futexWake(buffer, 3)).toThrow(RangeError);
    expect(() => futexWake(buffer, 1 << 20)).toThrow(RangeError);
  });

  it('rejects what is not an ArrayBuffer, NaN timeouts and out-of-range expected values', () => {
    const buffer = new ArrayBuffer(16);
    expect(() => futexWait(new Int32Array(buffer) as never, 0, 0, 1)).toThrow(TypeError);
    expect(() => futexWait(buffer, 0, 0, Number.NaN)).toThrow(RangeError);
    expect(() => futexWait(buffer, 0, 2 ** 32, 1)).toThrow(RangeError);
    expect(() => futexWait(buffer, 0, 1.5, 1)).toThrow(RangeError);
    expect(() => futexWake(buffer, 0, -1)).toThrow(RangeError);
  });

  it('refuses a closed mapping: its buffer is detached and has no bytes', () => {
    const mapping = mapFile(path.join(tempDir(), 'detached.bin'), { size: 4096, create: true });
    const buffer = mapping.buffer;
    mapping.close();
    expect(() => futexWait(buffer, 0, 0, 1)).toThrow('exceeds the buffer (0 bytes, detached)');
    expect(() => futexWake(buffer, 0)).toThrow(RangeError);
  });
});

describe('futexWake', () => {
  it('returns 0 when nobody waits', () => {
    expect(futexWake(new ArrayBuffer(4), 0)).toBe(0);
  });

  it('wakes at most count waiters', async () => {
    const buffer = new ArrayBuffer(4);
    const waits = [futexWaitAsync(buffer, 0, 0, 60_000), futexWaitAsync(buffer, 0, 0, 60_000)];
    // Both asleep: waking zero of them reports zero, then one at a time.
    await wakeOneWaiter(buffer, 0);
    await wakeOneWaiter(buffer, 0);
    expect(await Promise.all(waits)).toEqual(['ok', 'ok']);
    expect(futexWake(buffer, 0, 0)).toBe(0);
  });
});

describe('futexWaitAsync', () => {
  it('does not block the event loop while it waits', async () => {
    const buffer = new ArrayBuffer(4);
    const events: string[] = [];
    const waiting = futexWaitAsync(buffer, 0, 0, 60_000).then((result) => {
      events.push(`resolved ${result}`);
      return result;
    });
    setTimeout(() => {
      events.push('timer fired');
      void wakeOneWaiter(buffer, 0);
    }, 10);
    expect(await waiting).toBe('ok');
    expect(events).toEqual(['timer fired', 'resolved ok']);
  });

  it("resolves 'timed-out' and 'not-equal'", async () => {
    const buffer = new ArrayBuffer(4);
    await expect(futexWaitAsync(buffer, 0, 0, 1)).resolves.toBe('timed-out');
    await expect(futexWaitAsync(buffer, 0, 1, 60_000)).resolves.toBe('not-equal');
  });

  it('throws synchronously on bad arguments', () => {
    expect(() => futexWaitAsync(new ArrayBuffer(4), 1, 0, 1)).toThrow(RangeError);
  });

  it('keeps a closed mapping mapped until its pending wait returns, then unmaps it', async () => {
    const file = path.join(tempDir(), 'pinned-asleep.bin');
    const isMapped = () =>
      readFileSync('/proc/self/maps', 'utf8')
        .split('\n')
        .filter((line) => line.endsWith(file)).length;
    const mapping = mapFile(file, { size: 4096, create: true });
    // A second mapping of the same file shares the futex word (shared futexes key on the file).
    const waker = mapFile(file);
    onCleanup(() => waker.close());
    expect(isMapped()).toBe(2);
    const waiting = futexWaitAsync(mapping.buffer, 0, 0, 60_000);
    // The wait pins the region when it is queued, so close() must defer the munmap.
    mapping.close();
    expect(isMapped()).toBe(2);
    await wakeOneWaiter(waker.buffer, 0);
    expect(await waiting).toBe('ok');
    expect(isMapped()).toBe(1);
  });
});
