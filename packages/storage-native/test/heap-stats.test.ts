import { describe, expect, it } from 'vitest';
import { mallocStats } from '../src/index.js';

describe('mallocStats', () => {
  it('counts the memory the C heap holds', () => {
    const before = mallocStats();
    expect(before).toBeDefined(); // glibc >= 2.33 on every supported Linux build host
    if (before === undefined) return;
    for (const key of ['inUseBytes', 'freeBytes', 'mmappedBytes'] as const) {
      expect(Number.isSafeInteger(before[key]) && before[key] >= 0).toBe(true);
    }
    // Node backs ArrayBuffers with calloc: 64 MiB of them is in-use C heap while referenced.
    const held = Array.from({ length: 64 }, () => new ArrayBuffer(1 << 20));
    const holding = mallocStats() as NonNullable<typeof before>;
    expect(holding.inUseBytes - before.inUseBytes).toBeGreaterThanOrEqual(60 * 2 ** 20);
    expect(held.length).toBe(64);
  });
});
