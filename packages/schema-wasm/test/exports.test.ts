import { describe, expect, it } from 'vitest';
import * as pkg from '../src/index.js';

// The runtime surface of @deepwater/schema-wasm: what users (the sdk first) need, no internals (a new
// export is a decision).
describe('the @deepwater/schema-wasm root exports', () => {
  it('are exactly the public classes, functions and constants', () => {
    expect(Object.keys(pkg).sort()).toEqual(
      [
        'MAX_NAME_LENGTH',
        'MAX_PADDING',
        'MAX_RECORD_SIZE',
        'SchemaError',
        'TimeIndex',
        'TimeIndexFormatError',
        'compileLayout',
        'createCodec',
      ].sort(),
    );
  });
});
