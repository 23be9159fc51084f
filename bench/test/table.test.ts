import { describe, expect, it } from 'vitest';
import { computeRatios } from '../src/core/ratios.js';
import { renderTable } from '../src/core/table.js';
import { latencyRow, rateRow } from './rows.js';

describe('renderTable', () => {
  it('prints latencies in human units with the ratio to the raw limit and to Redis', () => {
    const rows = [
      latencyRow('raw', [150]),
      latencyRow('redis', [150_000]),
      latencyRow('dw', [300, 310, 290], { compare: { raw: 'raw', redis: 'redis' } }),
    ];
    computeRatios(rows);
    const text = renderTable(rows);
    expect(rows[2].ratios).toEqual({ vsRaw: 2, redisOverThis: 500 });
    expect(text).toContain('300 ns');
    expect(text).toContain('150.0 µs');
    expect(text).toContain('2.0×');
    expect(text).toContain('500×');
    expect(text).toContain('290 ns / 300 ns / 310 ns (3)');
  });

  it('prints GB/s beside a rate when the record size is known', () => {
    const text = renderTable([
      rateRow('replay', [100_000_000], { metric: { kind: 'rate', reps: [1e8], bytesPerRecord: 24 } }),
    ]);
    expect(text).toContain('100.0 M/s');
    expect(text).toContain('2.40 GB/s');
  });

  it('prints the reason beside a row that could not run instead of dropping it', () => {
    const text = renderTable([
      { id: 'x', section: 'Baselines', label: 'Redis', unavailable: 'redis-server not found' },
    ]);
    expect(text).toContain('== Baselines ==');
    expect(text).toContain('Redis  unavailable: redis-server not found');
  });

  it('gives each kind of row in a mixed section its own header', () => {
    const text = renderTable([
      rateRow('throughput', [4_000_000], { section: 'bridge' }),
      latencyRow('latency', [1_000_000], { section: 'bridge' }),
    ]);
    const lines = text.split('\n');
    const latencyLine = lines.findIndex((line) => line.startsWith('latency '));
    expect(lines[latencyLine - 1]).toMatch(/^\s+p50\s+p90\s+p99/);
    expect(lines[latencyLine]).toContain('1.00 ms');
    expect(lines.filter((line) => line.startsWith('== bridge =='))).toHaveLength(1);
  });
});
