import { describe, expect, it } from 'vitest';
import { layoutColumns, MARKER_WIDTH } from './columns.js';

const width = (l: ReturnType<typeof layoutColumns>) =>
  MARKER_WIDTH + l.nameWidth + l.columns.reduce((sum, c) => sum + 1 + c.width, 0);

describe('layoutColumns', () => {
  it('fits the core columns and the full feed names of the demo in 80 columns', () => {
    const l = layoutColumns(80, 'CB-EVENTS-BTC-USD'.length);
    expect(l.nameWidth).toBe(17);
    expect(l.columns.map((c) => c.id)).toEqual([
      'state',
      'rate1s',
      'rate1m',
      'spark',
      'mbps',
      'age',
      'records',
    ]);
    expect(width(l)).toBeLessThanOrEqual(80);
  });

  it('gives long names their width before adding the columns after the core ones', () => {
    const l = layoutColumns(100, 'CB-TRADES-BTC-USD'.length);
    expect(l.nameWidth).toBe(17);
    expect(l.columns.map((c) => c.id)).toContain('writer');
    expect(width(l)).toBeLessThanOrEqual(100);
  });

  it('gives spare width to a longer sparkline, never past its maximum', () => {
    const l = layoutColumns(300, 10);
    expect(l.columns.find((c) => c.id === 'spark')?.width).toBe(20);
    expect(l.nameWidth).toBe(12);
  });

  it('never exceeds the width, from very narrow to very wide', () => {
    for (let w = 20; w <= 240; w++) {
      for (const longest of [4, 12, 17, 40])
        expect(width(layoutColumns(w, longest))).toBeLessThanOrEqual(Math.max(w, MARKER_WIDTH + 12));
    }
  });
});
