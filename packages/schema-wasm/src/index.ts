/// <reference lib="esnext.disposable" preserve="true" />
// Disposable and Symbol.dispose in the published types: kept in the emitted index.d.ts, so a
// consumer compiles them without adding lib esnext.disposable (or @types/node) itself.
// Public surface of @deepwater/schema-wasm.

export type { CreateCodecOptions, EncodeBatchOptions, Int64Mode, RecordCodec } from './codec.js';
export { createCodec } from './codec.js';
export { compileLayout } from './compile-layout.js';
export type { ValueError } from './errors.js';
export { SchemaError } from './errors.js';
export type { FieldType } from './kinds.js';
export { MAX_NAME_LENGTH, MAX_PADDING, MAX_RECORD_SIZE } from './layout-limits.js';
export type {
  CompileLayoutOptions,
  FieldLayout,
  FieldSpec,
  PaddingLayout,
  RecordLayout,
} from './layout-types.js';
export type { TimeIndexOptions } from './time-index.js';
// lowerBoundJs and createWasmPacker are measurement-only (scripts/measure.mjs imports them from
// their modules), and the kinds tables and the index file's layout constants are internals (their
// tests import them from their modules): not part of the public surface.
export { TimeIndex, TimeIndexFormatError } from './time-index.js';
