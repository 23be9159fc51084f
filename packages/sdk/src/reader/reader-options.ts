import { availableParallelism } from 'node:os';
import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import type { Int64Mode } from '@deepwater/schema-wasm';
import { checkOptionKeys, didYouMean } from '../format/suggest.js';
import type { AbortSignalLike } from './abort-signal.js';
import type { ReaderOptions } from './reader.js';

export interface ResolvedReaderOptions {
  int64: Int64Mode;
  onOverrun: 'skip' | 'throw';
  decodeThreads: number;
}

/** More threads than this rarely help a memory-bound copy and take cores from other processes. */
const MAX_DEFAULT_DECODE_THREADS = 4;

/** Validates createReader options (shared by disk and ring readers). */
export function resolveReaderOptions(
  feed: string,
  options: ReaderOptions | undefined,
): ResolvedReaderOptions {
  const defaultThreads = Math.min(MAX_DEFAULT_DECODE_THREADS, availableParallelism());
  if (options === undefined) return { int64: 'number', onOverrun: 'skip', decodeThreads: defaultThreads };
  if (options === null || typeof options !== 'object') {
    throw new DeepwaterTypeError(`Feed "${feed}": createReader options must be an object`);
  }
  checkOptionKeys(options, ['int64', 'onOverrun', 'decodeThreads'], `Feed "${feed}": createReader`);
  const int64 = options.int64 ?? 'number';
  if (int64 !== 'number' && int64 !== 'bigint') {
    throw new DeepwaterTypeError(
      `Feed "${feed}": option int64 must be "number" or "bigint", got ${JSON.stringify(int64)}${typeof int64 === 'string' ? didYouMean(int64, ['number', 'bigint']) : ''}`,
    );
  }
  const onOverrun = options.onOverrun ?? 'skip';
  if (onOverrun !== 'skip' && onOverrun !== 'throw') {
    throw new DeepwaterTypeError(
      `Feed "${feed}": option onOverrun must be "skip" or "throw", got ${JSON.stringify(onOverrun)}`,
    );
  }
  const decodeThreads = options.decodeThreads ?? defaultThreads;
  if (!(typeof decodeThreads === 'number' && Number.isSafeInteger(decodeThreads) && decodeThreads >= 1)) {
    throw new DeepwaterRangeError(
      `Feed "${feed}": option decodeThreads must be an integer >= 1, got ${String(decodeThreads)}`,
    );
  }
  return { int64, onOverrun, decodeThreads };
}

export function checkCallOptions(
  feed: string,
  call: string,
  options: unknown,
  allowed: readonly string[],
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object')
    throw new DeepwaterTypeError(`Feed "${feed}": ${call} options must be an object`);
  checkOptionKeys(options, allowed, `Feed "${feed}": ${call}`);
}

/** rangeBatches' own options: records per batch and an int64 mode for the call. */
export function resolveBatchOptions(
  feed: string,
  options: { batchSize?: unknown; int64?: unknown } | undefined,
  readerInt64: Int64Mode,
): { batchSize: number; int64: Int64Mode } {
  const batchSize = options?.batchSize ?? 65536;
  if (!(typeof batchSize === 'number' && Number.isSafeInteger(batchSize) && batchSize >= 1)) {
    throw new DeepwaterRangeError(
      `Feed "${feed}": rangeBatches batchSize must be an integer >= 1, got ${String(batchSize)}`,
    );
  }
  const int64 = options?.int64 ?? readerInt64;
  if (int64 !== 'number' && int64 !== 'bigint') {
    throw new DeepwaterTypeError(
      `Feed "${feed}": rangeBatches option int64 must be "number" or "bigint", got ${JSON.stringify(int64)}`,
    );
  }
  return { batchSize, int64 };
}

/** `start` (a time) and `fromSeq` (a position) name two different starts: refuse both at once. */
export function rejectStartWithSeq(
  feed: string,
  options: { start?: unknown; fromSeq?: unknown } | undefined,
): void {
  if (options?.start !== undefined && options.fromSeq !== undefined) {
    throw new DeepwaterTypeError(
      `Feed "${feed}": stream() takes start (a timestamp) or fromSeq (a seq), not both`,
    );
  }
}

/** The `signal` of stream options: an AbortSignal or undefined. */
export function streamSignal(feed: string, signal: unknown): AbortSignalLike | undefined {
  if (signal === undefined) return undefined;
  const candidate = signal as Partial<AbortSignalLike> | null;
  if (
    typeof candidate?.aborted !== 'boolean' ||
    typeof candidate.addEventListener !== 'function' ||
    typeof candidate.removeEventListener !== 'function'
  ) {
    throw new DeepwaterTypeError(
      `Feed "${feed}": stream signal must be an AbortSignal, got ${describe(signal)}`,
    );
  }
  return candidate as AbortSignalLike;
}

function describe(value: unknown): string {
  return value === null
    ? 'null'
    : typeof value === 'object'
      ? (value.constructor?.name ?? 'object')
      : typeof value;
}
