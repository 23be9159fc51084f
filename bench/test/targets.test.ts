import { describe, expect, it } from 'vitest';
import { evaluateTargets, loadTargets, type Target } from '../src/core/targets.js';
import { latencyRow, rateRow } from './rows.js';

const base = { source: 'test', text: 'test target' };

describe('evaluateTargets', () => {
  it('passes an upper bound met by the median across repetitions', () => {
    const target: Target = { ...base, id: 't', row: 'w', stat: 'p50', max: 100 };
    const [result] = evaluateTargets([target], [latencyRow('w', [90, 95, 400])]);
    expect(result.verdict).toBe('pass');
    expect(result.measured).toBe(95);
  });

  it('fails a lower bound on a rate and names both figures', () => {
    const target: Target = { ...base, id: 't', row: 'r', stat: 'rate', min: 20_000_000 };
    const [result] = evaluateTargets([target], [rateRow('r', [5_000_000])]);
    expect(result.verdict).toBe('fail');
    expect(result.detail).toContain('5.00 M/s');
    expect(result.detail).toContain('20.0 M/s');
  });

  it('holds a ratio target to the reference row of the same run', () => {
    const target: Target = { ...base, id: 't', row: 'dw', stat: 'p50', relativeTo: 'raw', factor: 3 };
    const rows = [latencyRow('raw', [150]), latencyRow('dw', [460])];
    const [result] = evaluateTargets([target], rows);
    expect(result.bound).toBe(450);
    expect(result.verdict).toBe('fail');
  });

  it('holds a rate to at least its factor of a floor row of the same run', () => {
    const target: Target = { ...base, id: 't', row: 'dw', stat: 'rate', relativeTo: 'floor', factor: 0.8 };
    const floor = rateRow('floor', [10_000_000]);
    expect(evaluateTargets([target], [floor, rateRow('dw', [7_000_000])])[0].verdict).toBe('fail');
    const [pass] = evaluateTargets([target], [floor, rateRow('dw', [9_000_000])]);
    expect(pass.verdict).toBe('pass');
    expect(pass.bound).toBe(8_000_000);
    expect(pass.detail).toContain('>=');
  });

  it('fails a heap-growth target whose row grew too much, or did not measure it', () => {
    const target: Target = { ...base, id: 't', row: 's', stat: 'rate', min: 10, maxHeapGrowthBytes: 1024 };
    const within = evaluateTargets([target], [rateRow('s', [100], { heapGrowthBytes: 512 })])[0];
    expect(within.verdict).toBe('pass');
    const grew = evaluateTargets([target], [rateRow('s', [100], { heapGrowthBytes: 4096 })])[0];
    expect(grew.verdict).toBe('fail');
    expect(grew.detail).toContain('4096 bytes');
    expect(evaluateTargets([target], [rateRow('s', [100])])[0].verdict).toBe('fail');
  });

  it('fails a no-loss target when a reader lost records, even at the right rate', () => {
    const target: Target = { ...base, id: 't', row: 'r', stat: 'rate', min: 10, noLoss: true };
    const [result] = evaluateTargets([target], [rateRow('r', [100], { lostRecords: 7 })]);
    expect(result.verdict).toBe('fail');
    expect(result.detail).toContain('lost 7');
  });

  it('fails a target whose scenario was unavailable, with the reason', () => {
    const target: Target = { ...base, id: 't', row: 'x', stat: 'p50', max: 1 };
    const rows = [{ id: 'x', section: 's', label: 'x', unavailable: 'ring feeds are not available yet' }];
    const [result] = evaluateTargets([target], rows);
    expect(result.verdict).toBe('fail');
    expect(result.detail).toContain('ring feeds are not available yet');
  });

  it('skips a target whose row was not run and reports a pending one without failing', () => {
    const results = evaluateTargets(
      [
        { ...base, id: 'a', row: 'missing', stat: 'p50', max: 1 },
        { ...base, id: 'b', row: 'ingest', stat: 'rate', min: 1, pending: 'later issue' },
      ],
      [],
    );
    expect(results.map((r) => r.verdict)).toEqual(['not run', 'pending']);
  });
});

describe('informational targets', () => {
  it('are evaluated and shown as met or not, but never fail', () => {
    const results = evaluateTargets(
      [
        { ...base, id: 'a', row: 'w', stat: 'p50', max: 10, informational: 'superseded' },
        { ...base, id: 'b', row: 'w', stat: 'p50', max: 1000, informational: 'superseded' },
      ],
      [latencyRow('w', [90])],
    );
    expect(results.map((r) => r.verdict)).toEqual(['info', 'info']);
    expect(results[0]?.detail).toMatch(/^not met: .*informational: superseded/);
    expect(results[1]?.detail).toMatch(/^met: /);
  });
});

describe('bench/targets.json', () => {
  it('holds the sdk, ring and ingest targets of the issues, each with a bound', () => {
    const targets = loadTargets();
    const ids = targets.map((t) => t.id);
    for (const id of [
      'sdk.disk.writeValues-24B',
      'sdk.disk.seek',
      'sdk.disk.seek-p99',
      'sdk.disk.replay-tuple-v8-floor',
      'sdk.disk.replay-object-v8-floor',
      'sdk.disk.replay-scan',
      'ring.sustained-1-reader',
      'ingest.replay',
    ]) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
