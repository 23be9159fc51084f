import { describe, expect, it } from 'vitest';
import { configDifference, resolveFeedSpec } from '../../src/platform/feed-spec.js';

const fields = [
  { name: 'price', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

describe('resolveFeedSpec', () => {
  it('applies the documented defaults', () => {
    const config = resolveFeedSpec({ feedName: 'trades', fields, tsCol: 'timestamp_us' });
    expect(config).toMatchObject({
      feedName: 'trades',
      mode: 'UF',
      persist: true,
      chunkSizeBytes: 63 * 1_048_576,
      retentionHours: 72,
      indexPlayback: false,
      durability: 'page-cache',
    });
  });

  it('maps a default chunk (data + 4 KiB header) as a buffer V8 creates without a full collection', () => {
    // V8 (Node 20/22) starts a full GC when one external buffer of more than 64 MiB - 104 bytes is
    // created (Node adds 104 bytes of its own): a default chunk must stay below it.
    const { chunkSizeBytes } = resolveFeedSpec({ feedName: 'trades', fields, tsCol: 'timestamp_us' });
    expect(chunkSizeBytes + 4096).toBeLessThanOrEqual(64 * 1_048_576 - 104);
  });

  it('accepts the Python seed snake_case keys', () => {
    const config = resolveFeedSpec({
      feed_name: 'trades',
      fields,
      ts_col: 'timestamp_us',
      chunk_size_mb: 0.5,
      retention_hours: 0,
    } as never);
    expect(config.chunkSizeBytes).toBe(524_288);
    expect(config.retentionHours).toBe(0);
  });

  it.each([
    [{ feedName: '../x', fields, tsCol: 'timestamp_us' }, /may only contain/],
    [{ feedName: '', fields, tsCol: 'timestamp_us' }, /must not be empty/],
    [{ feedName: 'x'.repeat(65), fields, tsCol: 'timestamp_us' }, /at most 64/],
    [{ feedName: '.hidden', fields, tsCol: 'timestamp_us' }, /must not start with "\."/],
    [{ fields, tsCol: 'timestamp_us' }, /feedName is required/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', mode: 'XX' }, /mode must be "UF" or "IF"/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', chunkSizeMb: 0 }, /chunkSizeMb must be a positive/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', chunkSizeMb: Number.NaN }, /chunkSizeMb/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', retentionHours: -1 }, /retentionHours/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', persist: 'yes' }, /persist must be a boolean/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', indexPlayback: true }, /requires mode "IF"/],
    [
      { feedName: 't', fields, tsCol: 'timestamp_us', chunkSizeMB: 1 },
      /unknown key "chunkSizeMB" \(did you mean "chunkSizeMb"\?\)/,
    ],
    [{ feedName: 't', fields: 'price', tsCol: 'timestamp_us' }, /fields must be an array/],
    [{ feedName: 't', fields }, /tsCol/],
    [{ feedName: 't', fields, tsCol: 'timestamp_us', durability: 'fsyn' }, /did you mean "fsync"/],
  ])('rejects %j with a clear ERR_INVALID_SPEC', (spec, message) => {
    expect(() => resolveFeedSpec(spec)).toThrow(message);
    try {
      resolveFeedSpec(spec);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_INVALID_SPEC');
    }
  });

  it('names the differing setting between two configs', () => {
    const a = resolveFeedSpec({ feedName: 't', fields, tsCol: 'timestamp_us' });
    const b = resolveFeedSpec({ feedName: 't', fields, tsCol: 'timestamp_us', persist: false });
    expect(configDifference(a, a)).toBeUndefined();
    expect(configDifference(a, b)).toMatch(/Cannot change persist flag/);
  });
});
