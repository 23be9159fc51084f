import { describe, expect, it } from 'vitest';
import * as pkg from '../src/index.js';

// The runtime surface of @deepwater/ring: what users (the sdk first) need, no internals (a new
// export is a decision).
describe('the @deepwater/ring root exports', () => {
  it('are exactly the public classes, functions and constants', () => {
    expect(Object.keys(pkg).sort()).toEqual(
      [
        'HEADER_LENGTH',
        'RING_VERSION',
        'RingClosedError',
        'RingError',
        'RingForeignError',
        'RingLayoutError',
        'RingLockedError',
        'RingOverrunError',
        'RingReader',
        'RingWriter',
        'capacityFor',
        'deleteRing',
        'ringByteLength',
        'ringExists',
        'unlinkRing',
      ].sort(),
    );
  });
});
