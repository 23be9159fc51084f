import { describe, expect, it } from 'vitest';
import { compileLayout, type FieldType } from '../src/index.js';
import { FIELD_TYPES } from '../src/kinds.js';

const TABLE: readonly [FieldType, number, string][] = [
  ['uint8', 1, 'B'],
  ['uint16', 2, 'H'],
  ['uint32', 4, 'I'],
  ['uint64', 8, 'Q'],
  ['int8', 1, 'b'],
  ['int16', 2, 'h'],
  ['int32', 4, 'i'],
  ['int64', 8, 'q'],
  ['float32', 4, 'f'],
  ['float64', 8, 'd'],
  ['char', 1, 'c'],
];

describe('compileLayout', () => {
  it('covers every field type in the table', () => {
    expect(TABLE.map(([type]) => type)).toEqual(FIELD_TYPES);
  });

  it.each(TABLE)('lays out %s as %i bytes with struct code %s', (type, size, code) => {
    const layout = compileLayout(
      [
        { name: 'ts', type: 'uint64' },
        { name: 'value', type },
        { name: 'after', type: 'uint8' },
      ],
      'ts',
    );
    expect(layout.fields[1]).toEqual({ name: 'value', type, offset: 8, size, index: 1 });
    expect(layout.fields[2].offset).toBe(8 + size);
    expect(layout.recordSize).toBe(8 + size + 1);
    expect(layout.fmt).toBe(`<Q${code}B`);
  });

  it('compiles price, size, timestamp_us to <ddQ', () => {
    const layout = compileLayout(
      [
        { name: 'price', type: 'float64' },
        { name: 'size', type: 'float64' },
        { name: 'timestamp_us', type: 'uint64' },
      ],
      'timestamp_us',
    );
    expect(layout).toEqual({
      recordSize: 24,
      fmt: '<ddQ',
      fields: [
        { name: 'price', type: 'float64', offset: 0, size: 8, index: 0 },
        { name: 'size', type: 'float64', offset: 8, size: 8, index: 1 },
        { name: 'timestamp_us', type: 'uint64', offset: 16, size: 8, index: 2 },
      ],
      padding: [],
      tsCol: 'timestamp_us',
      tsIndex: 2,
      tsOffset: 16,
      tsType: 'uint64',
    });
  });

  it('compiles char, char, _6, uint64, uint64, float64, float64, _8 to <cc6xQQdd8x', () => {
    const layout = compileLayout(
      [
        { name: 'side', type: 'char' },
        { name: 'kind', type: 'char' },
        { name: 'pad', type: '_6' },
        { name: 'timestamp_us', type: 'uint64' },
        { name: 'seq', type: 'uint64' },
        { name: 'price', type: 'float64' },
        { name: 'size', type: 'float64' },
        { name: 'tail', type: '_8' },
      ],
      'timestamp_us',
    );
    expect(layout.fmt).toBe('<cc6xQQdd8x');
    expect(layout.recordSize).toBe(48);
    expect(layout.padding).toEqual([
      { offset: 2, size: 6 },
      { offset: 40, size: 8 },
    ]);
    expect(layout.fields.map((f) => [f.name, f.offset, f.index])).toEqual([
      ['side', 0, 0],
      ['kind', 1, 1],
      ['timestamp_us', 8, 2],
      ['seq', 16, 3],
      ['price', 24, 4],
      ['size', 32, 5],
    ]);
    expect(layout.tsIndex).toBe(2);
    expect(layout.tsOffset).toBe(8);
  });

  it('writes a one-byte padding as x and larger ones as Nx', () => {
    const layout = compileLayout(
      [
        { name: 'a', type: 'uint8' },
        { name: '', type: '_1' },
        { name: '', type: '_4096' },
        { name: 't', type: 'int64' },
      ],
      't',
    );
    expect(layout.fmt).toBe('<Bx4096xq');
    expect(layout.tsOffset).toBe(1 + 1 + 4096);
    expect(layout.tsType).toBe('int64');
  });

  it('keeps the timestamp at byte offset 0 (offset 0 is not "no timestamp")', () => {
    const layout = compileLayout(
      [
        { name: 'ts', type: 'int64' },
        { name: 'price', type: 'float64' },
      ],
      'ts',
    );
    expect(layout.tsOffset).toBe(0);
    expect(layout.tsIndex).toBe(0);
    expect(layout.tsCol).toBe('ts');
  });

  it('packs without implicit alignment', () => {
    const layout = compileLayout(
      [
        { name: 'flag', type: 'uint8' },
        { name: 'ts', type: 'uint64' },
        { name: 'n', type: 'uint16' },
      ],
      'ts',
    );
    expect(layout.fields.map((f) => f.offset)).toEqual([0, 1, 9]);
    expect(layout.recordSize).toBe(11);
  });

  it('keeps desc on fields that have one', () => {
    const layout = compileLayout(
      [
        { name: 'price', type: 'float64', desc: 'last trade price' },
        { name: 'ts', type: 'uint64' },
      ],
      'ts',
    );
    expect(layout.fields[0].desc).toBe('last trade price');
    expect('desc' in layout.fields[1]).toBe(false);
  });

  it('accepts a record of exactly 65536 bytes', () => {
    const fields = Array.from({ length: 16 }, (_, i) => ({ name: `p${i}`, type: '_4096' }));
    fields[15] = { name: 'p15', type: '_4088' };
    const layout = compileLayout([...fields, { name: 'ts', type: 'uint64' }], 'ts');
    expect(layout.recordSize).toBe(65536);
  });

  it('gives independent results to repeated and interleaved compilations', () => {
    const a = compileLayout([{ name: 'ts', type: 'uint64' }], 'ts');
    const b = compileLayout(
      [
        { name: 'x', type: 'float32' },
        { name: 'ts', type: 'int64' },
      ],
      'ts',
    );
    expect(a.fmt).toBe('<Q');
    expect(b.fmt).toBe('<fq');
    expect(compileLayout([{ name: 'ts', type: 'uint64' }], 'ts')).toEqual(a);
  });
});
