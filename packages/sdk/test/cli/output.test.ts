import { describe, expect, it } from 'vitest';
import { csvLine, formatBytes, renderTable, toJson } from '../../src/cli/output.js';
import { RecordPrinter } from '../../src/cli/record-printer.js';

describe('output helpers', () => {
  it('writes bigints into JSON exactly, never through a double', () => {
    const text = toJson({ big: 18446744073709551615n, small: 1n, list: [2n] });
    expect(text).toBe('{"big":18446744073709551615,"small":1,"list":[2]}');
  });

  it('quotes CSV fields that need it and doubles quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 1, null, 2n])).toBe('a,"b,c","say ""hi""",1,,2\n');
  });

  it('writes one JSON object per record keyed by field, exact for 64-bit integers', () => {
    let out = '';
    const printer = new RecordPrinter('jsonl', ['price', 'side', 'ts'], 'ts', (t) => {
      out += t;
    });
    printer.print([
      [1.5, 'B', 18446744073709551615n],
      [Number.NaN, '"', 7n],
    ]);
    printer.end();
    expect(out).toBe(
      '{"price":1.5,"side":"B","ts":18446744073709551615}\n{"price":"NaN","side":"\\"","ts":7}\n',
    );
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).side),
    ).toEqual(['B', '"']);
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
