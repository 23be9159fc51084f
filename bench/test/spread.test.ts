import { describe, expect, it } from 'vitest';
import { spreadOf } from '../src/core/spread.js';

describe('spreadOf', () => {
  it('gives min, median and max of an odd number of repetitions', () => {
    expect(spreadOf([30, 10, 20])).toEqual({ min: 10, median: 20, max: 30, n: 3 });
  });

  it('averages the two middle values of an even number of repetitions', () => {
    expect(spreadOf([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4, n: 4 });
  });

  it('returns NaN figures for no repetitions rather than inventing a value', () => {
    const spread = spreadOf([]);
    expect(spread.n).toBe(0);
    expect(spread.median).toBeNaN();
  });
});
