import type { FieldType } from './kinds.js';

/** One declared field. `type` is a FieldType or `_N` for N padding bytes (name then unused). */
export interface FieldSpec {
  name: string;
  type: string;
  desc?: string;
}

export interface FieldLayout {
  name: string;
  type: FieldType;
  /** Byte offset inside the record. */
  offset: number;
  size: number;
  /** Position among value fields (padding excluded): the tuple index. */
  index: number;
  desc?: string;
}

export interface PaddingLayout {
  offset: number;
  size: number;
}

/** A compiled record layout: fields packed in declaration order, little-endian, no implicit alignment. */
export interface RecordLayout {
  recordSize: number;
  /** Python struct notation with a `<` prefix, e.g. `<ddQ`. */
  fmt: string;
  /** Value fields only, in order (padding excluded). */
  fields: FieldLayout[];
  padding: PaddingLayout[];
  tsCol: string;
  /** Index of the timestamp among value fields. */
  tsIndex: number;
  /** Byte offset of the timestamp inside the record (0 is a valid offset). */
  tsOffset: number;
  tsType: 'uint64' | 'int64';
}

export interface CompileLayoutOptions {
  /** Named in error messages. */
  feedName?: string;
}
