import { describe, expect, it } from 'vitest';
import { layoutColumns, MARKER_WIDTH } from '../../src/views/columns.js';

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

  it('puts ring readers, lag and lost among the core columns in 80 columns when rings are shown', () => {
    const l = layoutColumns(80, 'CB-EVENTS-BTC-USD'.length, { rings: true });
    expect(l.columns.map((c) => c.id)).toEqual([
      'state',
      'rate1s',
      'spark',
      'age',
      'records',
      'readers',
      'lag',
      'lost',
    ]);
    expect(width(l)).toBeLessThanOrEqual(80);
  });

  it('draws every column in the same order with or without rings on a wide terminal', () => {
    const ids = (rings: boolean) => layoutColumns(300, 12, { rings }).columns.map((c) => c.id);
    expect(ids(true)).toEqual(ids(false));
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
        for (const rings of [false, true])
          expect(width(layoutColumns(w, longest, { rings }))).toBeLessThanOrEqual(
            Math.max(w, MARKER_WIDTH + 12),
          );
    }
  });
});
