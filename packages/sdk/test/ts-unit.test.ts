// The unit of a feed's time column (tsUnit): validated, persisted in feed.json, shown by listFeeds,
// defaulted to µs for feed.json files written before it existed, and used by retention and health.
// Also: spec errors name the value as given (NaN is not "null").
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHealth, DeepwaterError, runCleanup } from '../src/index.js';
import { cli } from './cli/run-cli.js';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

const HOUR_NS = 3_600_000_000_000n;

describe('tsUnit', () => {
  const t = useTempBase();

  it('defaults to us, accepts ns/ms/s (and ts_unit), and refuses anything else naming it', () => {
    const p = t.platform();
    expect(p.createFeed(tradeSpec('plain')).tsUnit).toBe('us');
    expect(p.createFeed(tradeSpec('nanos', { tsUnit: 'ns' })).tsUnit).toBe('ns');
    expect(p.createFeed(tradeSpec('millis', { ts_unit: 'ms' })).tsUnit).toBe('ms');
    expect(p.createFeed(tradeSpec('secs', { tsUnit: 's' })).tsUnit).toBe('s');
    expect(() => p.createFeed(tradeSpec('bad', { tsUnit: 'nanos' }))).toThrow(
      /tsUnit must be one of s, ms, us, ns .*got "nanos"/,
    );
    expect(new Map(p.listFeeds().map((f) => [f.name, f.tsUnit]))).toEqual(
      new Map([
        ['plain', 'us'],
        ['nanos', 'ns'],
        ['millis', 'ms'],
        ['secs', 's'],
      ]),
    );
    expect(p.feedStatus('nanos').tsUnit).toBe('ns');
    // A different unit for an existing feed is a conflict, not a silent no-op.
    expect(() => p.createFeed(tradeSpec('nanos'))).toThrow(
      /tsUnit differs \(existing "ns", requested "us"\)/,
    );
  });

  it('is persisted in feed.json, and a feed.json without it means us', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('nanos', { tsUnit: 'ns' }));
    p.createFeed(tradeSpec('old'));
    const dir = join(t.base(), 'feeds');
    expect(JSON.parse(readFileSync(join(dir, 'nanos', 'feed.json'), 'utf8')).tsUnit).toBe('ns');
    const oldPath = join(dir, 'old', 'feed.json');
    const { tsUnit: _, ...before } = JSON.parse(readFileSync(oldPath, 'utf8'));
    writeFileSync(oldPath, JSON.stringify(before));
    p.close();
    const reopened = t.open();
    expect(reopened.describeFeed('old').tsUnit).toBe('us');
    expect(reopened.createFeed(tradeSpec('old')).tsUnit).toBe('us'); // same spec: still a no-op
  });

  it('expires ns chunks by their ns timestamps', async () => {
    const p = t.platform();
    p.createFeed(tradeSpec('nanos', { tsUnit: 'ns', retentionHours: 1, chunkSizeMb: (2 * 24) / 1_048_576 }));
    const w = p.createWriter('nanos');
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    for (const ts of [
      nowNs - 3n * HOUR_NS,
      nowNs - 3n * HOUR_NS + 1n,
      nowNs - 2n * HOUR_NS,
      nowNs - 2n * HOUR_NS,
    ])
      w.writeValues(1, 1, ts);
    for (const ts of [nowNs - 1000n, nowNs]) w.writeValues(2, 2, ts);
    w.close();
    const dry = await cli(['cleanup', '--base-path', t.base(), '--dry-run']);
    expect(dry.stdout).toMatch(/would delete +chunk 1 \(newest record \d{4}-\d\d-\d\dT[\d:]+\.\d{9}Z/);
    const report = runCleanup(t.base());
    expect(report.feeds[0].tsUnit).toBe('ns');
    expect(report.deletedChunks).toBe(2);
    const left = p.createReader('nanos', { int64: 'bigint' }).range(0, Number.POSITIVE_INFINITY);
    expect((left as bigint[][]).map((r) => r[2])).toEqual([nowNs - 1000n, nowNs]);
  });

  it('ages ns records against the µs wall clock in health checks', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('nanos', { tsUnit: 'ns' }));
    const w = p.createWriter('nanos');
    const nowUs = Date.now() * 1000;
    w.writeValues(1, 1, BigInt(nowUs) * 1000n);
    w.close();
    const at = (offsetUs: number) =>
      checkHealth(t.base(), { checkFeeds: true, maxAgeSeconds: 300, minFreeGb: 0, nowUs: nowUs + offsetUs });
    const activity = (offsetUs: number) => at(offsetUs).checks.find((c) => c.check === 'feed-activity');
    expect(activity(10e6)?.ok).toBe(true);
    const stale = activity(2 * 3600e6);
    expect(stale?.ok).toBe(false);
    expect(stale?.reason).toMatch(/last write 7200s ago/);
  });
});

describe('spec values are named as given', () => {
  const t = useTempBase();

  it.each([
    ['chunkSizeMb', Number.NaN, /chunkSizeMb must be a positive number of MiB, got NaN/],
    ['chunkSizeMb', Number.POSITIVE_INFINITY, /got Infinity/],
    ['chunkSizeBytes', Number.NaN, /chunkSizeBytes must be a positive integer, got NaN/],
    ['retentionHours', Number.NaN, /retentionHours must be a number >= 0 .*got NaN/],
    ['retentionHours', -1, /got -1/],
    ['chunkSizeMb', 5n, /got 5n/],
  ])('%s = %s', (key, value, message) => {
    const attempt = () => t.platform().createFeed(tradeSpec('x', { [key]: value }));
    expect(attempt).toThrow(DeepwaterError);
    expect(attempt).toThrow(message);
  });
});
