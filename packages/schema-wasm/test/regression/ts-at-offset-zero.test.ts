import { describe, expect, it } from 'vitest';
import { compileLayout, createCodec } from '../../src/index.js';

// The Python seed read the timestamp offset with `offset or fallback`, so a timestamp at byte
// offset 0 was treated as "no timestamp".
describe('a timestamp column at byte offset 0', () => {
  it('is compiled, written, returned and read back like any other offset', () => {
    const layout = compileLayout(
      [
        { name: 'ts', type: 'int64' },
        { name: 'price', type: 'float64' },
      ],
      'ts',
    );
    expect(layout.tsOffset).toBe(0);
    const codec = createCodec(layout);
    const view = new DataView(new ArrayBuffer(32));
    expect(codec.encodeTuple(view, 16, [1_700_000_000_000_123, 1.5])).toBe(1_700_000_000_000_123);
    expect(codec.readTimestamp(view, 16)).toBe(1_700_000_000_000_123);
    expect(codec.readTimestamp(view, 0)).toBe(0);
    expect(codec.decodeObject(view, 16, 'number')).toEqual({ ts: 1_700_000_000_000_123, price: 1.5 });
  });
});
