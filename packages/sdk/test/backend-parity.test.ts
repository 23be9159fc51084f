import { describe, expect, it } from 'vitest';
import type { Reader } from '../src/index.js';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

/** What a call threw: its class and message (with the feed name made neutral), or 'returned'. */
function refusal(call: () => unknown, feed: string): string {
  try {
    call();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message.replaceAll(`"${feed}"`, '"<feed>"')}`;
  }
  return 'returned';
}

/** Bad arguments to every Reader call: checked once above the disk and ring backends. */
const BAD_CALLS: [string, (r: Reader) => unknown][] = [
  ['stream: unknown option', (r) => r.stream({ strat: 0 } as never)],
  ['stream: start and fromSeq', (r) => r.stream({ start: 0, fromSeq: 0 })],
  ['stream: bad fromSeq', (r) => r.stream({ fromSeq: -1 })],
  ['stream: bad start', (r) => r.stream({ start: Number.NaN })],
  ['stream: columnar format', (r) => r.stream({ format: 'columnar' as never })],
  ['stream: not a signal', (r) => r.stream({ signal: {} as never })],
  ['readAvailable: bad maxRecords', (r) => r.readAvailable({ maxRecords: -1 })],
  ['range: bad end', (r) => r.range(0, 'x' as never)],
  ['range: unknown format', (r) => r.range(0, 1, { format: 'tuples' as never })],
  ['scan: bad start', (r) => r.scan(Number.NaN, 1)],
  ['rangeBatches: bad batchSize', (r) => r.rangeBatches(0, 1, { batchSize: 0 })],
  ['rangeBatches: bad int64', (r) => r.rangeBatches(0, 1, { int64: 'big' as never })],
  ['rangeSeq: bad toSeq', (r) => r.rangeSeq(0, 1.5)],
  ['latest: bad seconds', (r) => r.latest(-1)],
  ['latest: unknown option', (r) => r.latest(60, { formt: 'raw' } as never)],
  ['asOf: bad ts', (r) => r.asOf(Number.NaN)],
  ['asOf: columnar format', (r) => r.asOf(0, { format: 'columnar' as never })],
];

describe('disk and ring feeds share one public front', () => {
  const t = useTempBase();

  it('refuse the same bad reader arguments with the same error and message', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('on-disk'));
    p.createFeed(tradeSpec('in-ring', { persist: false }));
    try {
      const disk = p.createReader('on-disk');
      const ring = p.createReader('in-ring');
      for (const [what, call] of BAD_CALLS) {
        const fromDisk = refusal(() => call(disk), 'on-disk');
        expect(fromDisk, what).not.toBe('returned');
        expect(
          refusal(() => call(ring), 'in-ring'),
          what,
        ).toBe(fromDisk);
      }
    } finally {
      p.deleteFeed('in-ring');
    }
  });

  it('refuse the same bad reader and writer options', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('on-disk'));
    p.createFeed(tradeSpec('in-ring', { persist: false }));
    try {
      for (const [create, options] of [
        ['reader', { int64: 'big' }],
        ['reader', { onOverrun: 'stop' }],
        ['reader', { decodeThreads: 0 }],
        ['reader', { decodThreads: 1 }],
        ['writer', { durability: 'fsnyc' }],
        ['writer', { syncIntervalMs: -1 }],
      ] as const) {
        const open = (feed: string) =>
          create === 'reader'
            ? p.createReader(feed, options as never)
            : p.createWriter(feed, options as never);
        const fromDisk = refusal(() => open('on-disk'), 'on-disk');
        expect(fromDisk, JSON.stringify(options)).not.toBe('returned');
        expect(
          refusal(() => open('in-ring'), 'in-ring'),
          JSON.stringify(options),
        ).toBe(fromDisk);
      }
    } finally {
      p.deleteFeed('in-ring');
    }
  });
});
