import { DeepwaterTypeError } from '@deepwater/errors';
import { didYouMean } from './suggest.js';
import type { ReadTypes, UntypedRead } from './typed-records.js';

/** Output formats of readers; 'dict' and 'numpy' are the Python seed's names. */
export type FormatName = 'tuple' | 'object' | 'dict' | 'columnar' | 'numpy' | 'raw';
export type CanonicalFormat = 'tuple' | 'object' | 'columnar' | 'raw';

export const FORMAT_NAMES: readonly FormatName[] = ['tuple', 'object', 'dict', 'columnar', 'numpy', 'raw'];

export type Tuple = unknown[];
export type RecordObject = Record<string, unknown>;
export type Columns = Record<string, ArrayBufferView>;

/** What a batch read (range, latest, readAvailable) returns, per format; `R` is a typed feed's shapes. */
export interface BatchByFormat<R extends ReadTypes = UntypedRead> {
  tuple: R['tuple'][];
  object: R['object'][];
  dict: R['object'][];
  columnar: R['columns'];
  numpy: R['columns'];
  raw: Uint8Array;
}

/** Formats a stream can yield one record at a time (columnar is a batch format). */
export type StreamFormatName = 'tuple' | 'object' | 'dict' | 'raw';
export interface RecordByFormat<R extends ReadTypes = UntypedRead> {
  tuple: R['tuple'];
  object: R['object'];
  dict: R['object'];
  raw: Uint8Array;
}

export function resolveFormat(format: unknown, feed: string): CanonicalFormat {
  switch (format) {
    case undefined:
    case 'tuple':
      return 'tuple';
    case 'object':
    case 'dict':
      return 'object';
    case 'columnar':
    case 'numpy':
      return 'columnar';
    case 'raw':
      return 'raw';
    default:
      throw new DeepwaterTypeError(
        `Feed "${feed}": unknown format ${JSON.stringify(format)}${typeof format === 'string' ? didYouMean(format, FORMAT_NAMES) : ''}; expected one of ${FORMAT_NAMES.join(', ')}`,
      );
  }
}

export function resolveStreamFormat(format: unknown, feed: string): Exclude<CanonicalFormat, 'columnar'> {
  const resolved = resolveFormat(format, feed);
  if (resolved === 'columnar') {
    throw new DeepwaterTypeError(
      `Feed "${feed}": format "${String(format)}" is a batch format and cannot be streamed record by record; use readAvailable(), range() or latest()`,
    );
  }
  return resolved;
}
