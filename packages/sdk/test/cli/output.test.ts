import { describe, expect, it } from 'vitest';
import { csvLine, formatBytes, jsonlLine, renderTable, toJson } from '../../src/cli/output.js';

describe('output helpers', () => {
  it('writes bigints into JSON exactly, never through a double', () => {
    const text = toJson({ big: 18446744073709551615n, small: 1n, list: [2n] });
    expect(text).toBe('{"big":18446744073709551615,"small":1,"list":[2]}');
  });

  it('quotes CSV fields that need it and doubles quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 1, null, 2n])).toBe('a,"b,c","say ""hi""",1,,2\n');
  });

  it('writes one JSON object per line keyed by column', () => {
    expect(jsonlLine(['price', 'ts'], [1.5, 7n])).toBe('{"price":1.5,"ts":7}\n');
  });

  it('aligns table columns and right-aligns numbers', () => {
    const text = renderTable(
      ['name', 'records'],
      [
        ['trades', 1200],
        ['quotes', 5],
      ],
    );
    expect(text).toBe('name    records\ntrades     1200\nquotes        5\n');
  });

  it('formats byte counts in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
