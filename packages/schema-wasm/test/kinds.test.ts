import { describe, expect, it } from 'vitest';
import { compileLayout } from '../src/index.js';
import { FIELD_SIZES, FIELD_TYPES, FMT_CODES } from '../src/kinds.js';

// src/kinds.ts mirrors the kind numbering of assembly/kinds.ts; a slip would rename types.
describe('kind tables', () => {
  it.each(FIELD_TYPES)('agree with schema.wasm for %s', (type) => {
    const layout = compileLayout(
      [
        { name: 'v', type },
        { name: 'ts', type: 'int64' },
      ],
      'ts',
    );
    expect(layout.fields[0].type).toBe(type);
    expect(layout.fields[0].size).toBe(FIELD_SIZES[type]);
    expect(layout.fmt).toBe(`<${FMT_CODES[type]}q`);
  });
});
