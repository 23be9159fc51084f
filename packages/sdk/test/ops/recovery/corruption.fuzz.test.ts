import { describe, expect, it } from 'vitest';
import { runFuzz } from './corruption-fuzz.js';

/**
 * Issue #14's property over seeded random damage: every call returns or throws a JS error (never a
 * signal), and after repair every record intact before and outside a quarantined file is readable by
 * range and stream, with no chunk file outside the quarantine missing a byte of valid data.
 * 200 trials here (fixed seed); `pnpm fuzz:corruption` runs 10 000.
 */
describe('corruption fuzzer (issue #14)', () => {
  it('holds the recovery invariants over 200 seeded trials', async () => {
    const tally = await runFuzz({ trials: 200, seed: 14_2026 });
    expect(tally.signals).toEqual([]);
    expect(tally.violations).toEqual([]);
    expect(tally.trials).toBe(200);
  });
});
