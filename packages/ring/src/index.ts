/// <reference lib="esnext.disposable" preserve="true" />
// Disposable and Symbol.dispose in the published types: kept in the emitted index.d.ts, so a
// consumer compiles them without adding lib esnext.disposable (or @types/node) itself.
export {
  RingClosedError,
  RingError,
  RingForeignError,
  RingLayoutError,
  RingLockedError,
  RingOverrunError,
} from './errors.js';
export { capacityFor, ringByteLength } from './geometry.js';
export type { RingGeometry } from './header.js';
export { HEADER_LENGTH, RING_VERSION } from './layout.js';
export { deleteRing, ringExists, unlinkRing } from './ring-admin.js';
export {
  type OverrunPolicy,
  RingReader,
  type RingReaderOptions,
  type RingReaderStats,
  type WaitOptions,
} from './ring-reader.js';
export { RingWriter, type RingWriterOptions } from './ring-writer.js';
export type { WaitStrategy } from './wait-strategy.js';
