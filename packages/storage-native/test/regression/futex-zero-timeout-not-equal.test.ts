import { describe, expect, it } from 'vitest';
import { futexWait, futexWaitAsync } from '../../src/index.js';

// futexWait(…, timeoutMs 0) returned 'timed-out' for a word that differed from `expected`: the
// deadline had passed before the kernel, which compares the word first, was ever asked.
describe('futexWait with a zero timeout', () => {
  it("reports 'not-equal' when the word differs", async () => {
    const buffer = new ArrayBuffer(4);
    new Int32Array(buffer)[0] = 1;
    expect(futexWait(buffer, 0, 0, 0)).toBe('not-equal');
    await expect(futexWaitAsync(buffer, 0, 0, 0)).resolves.toBe('not-equal');
  });

  it("reports 'timed-out' when the word equals expected", () => {
    const buffer = new ArrayBuffer(4);
    expect(futexWait(buffer, 0, 0, 0)).toBe('timed-out');
  });
});
