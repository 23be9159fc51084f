import { describe, expect, it } from 'vitest';
import { SequenceTracker, TradeIdTracker } from '../../src/session/sequence.js';

describe('SequenceTracker', () => {
  it('reports nothing for a contiguous run from any baseline', () => {
    const t = new SequenceTracker();
    expect([5, 6, 7, 8].map((s) => t.observe(s))).toEqual([null, null, null, null]);
    expect(t.nextExpected).toBe(9);
  });

  it('reports the first missing and the received number on a jump', () => {
    const t = new SequenceTracker();
    t.observe(0);
    t.observe(1);
    expect(t.observe(5)).toEqual({ expected: 2, received: 5 });
    expect(t.observe(6)).toBeNull();
  });

  it('ignores repeats and does not move backwards', () => {
    const t = new SequenceTracker();
    t.observe(10);
    expect(t.observe(10)).toBeNull();
    expect(t.observe(3)).toBeNull();
    expect(t.observe(11)).toBeNull();
  });

  it('takes a new baseline after reset (numbering restarts per connection)', () => {
    const t = new SequenceTracker();
    t.observe(100);
    t.reset();
    expect(t.observe(0)).toBeNull();
    expect(t.nextExpected).toBe(1);
  });
});

describe('TradeIdTracker', () => {
  it('keeps new ids, drops repeats and reports holes', () => {
    const t = new TradeIdTracker();
    expect(t.check('BTC-USD', [10n, 11n, 12n])).toEqual({ keep: [true, true, true], gaps: [] });
    t.commit('BTC-USD', 12n);
    expect(t.check('BTC-USD', [11n, 12n, 13n, 16n, 17n])).toEqual({
      keep: [false, false, true, true, true],
      gaps: [{ productId: 'BTC-USD', from: 14n, to: 15n }],
    });
  });

  it('tracks products separately', () => {
    const t = new TradeIdTracker();
    t.commit('BTC-USD', 100n);
    expect(t.check('ETH-USD', [5n]).gaps).toEqual([]);
    expect(t.check('BTC-USD', [102n]).gaps).toEqual([{ productId: 'BTC-USD', from: 101n, to: 101n }]);
  });
});
