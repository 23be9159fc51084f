import { DeepwaterRangeError } from '@deepwater/errors';
import type { Int64Mode } from '@deepwater/schema-wasm';
import { type CanonicalFormat, resolveFormat, resolveStreamFormat } from '../format/formats.js';
import type { AbortSignalLike } from './abort-signal.js';
import { checkCallOptions, rejectStartWithSeq, resolveBatchOptions, streamSignal } from './reader-options.js';
import { type TimeBound, timeBoundArg } from './time-bound.js';

/**
 * The arguments of every Reader call, checked once for both backends (disk and ring readers call
 * these first and receive validated values). Each throws TypeError/RangeError naming the feed, the
 * call and the argument.
 */

type StreamFormat = Exclude<CanonicalFormat, 'columnar'>;

/** A seq argument: a non-negative safe integer. */
export function seqArg(feed: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DeepwaterRangeError(
      `Feed "${feed}": ${name} must be a seq (an integer >= 0), got ${typeof value === 'bigint' ? `${value}n` : String(value)}`,
    );
  }
  return value;
}

export interface StreamArgs {
  format: StreamFormat;
  signal: AbortSignalLike | undefined;
  /** `start`: the first timestamp wanted; undefined for a live-only stream or a fromSeq start. */
  start: TimeBound | undefined;
  fromSeq: number | undefined;
}

interface StreamCallOptions {
  start?: unknown;
  fromSeq?: unknown;
  format?: unknown;
  signal?: unknown;
}

export function streamArgs(feed: string, options: StreamCallOptions | undefined): StreamArgs {
  checkCallOptions(feed, 'stream', options, ['start', 'fromSeq', 'format', 'signal']);
  const signal = streamSignal(feed, options?.signal);
  const format = resolveStreamFormat(options?.format, feed);
  rejectStartWithSeq(feed, options);
  return {
    format,
    signal,
    start: options?.start === undefined ? undefined : timeBoundArg(feed, 'start', options.start),
    fromSeq: options?.fromSeq === undefined ? undefined : seqArg(feed, 'fromSeq', options.fromSeq),
  };
}

export function readAvailableArgs(
  feed: string,
  options: { format?: unknown; maxRecords?: unknown } | undefined,
): { format: CanonicalFormat; maxRecords: number } {
  checkCallOptions(feed, 'readAvailable', options, ['format', 'maxRecords']);
  const format = resolveFormat(options?.format, feed);
  const max = options?.maxRecords ?? Number.POSITIVE_INFINITY;
  if (typeof max !== 'number' || !(max >= 0)) {
    throw new DeepwaterRangeError(
      `Feed "${feed}": readAvailable maxRecords must be a number >= 0, got ${String(max)}`,
    );
  }
  return { format, maxRecords: max };
}

/** [start, end) of range(), scan() and rangeBatches(). */
export function spanArgs(feed: string, start: unknown, end: unknown): { from: TimeBound; to: TimeBound } {
  return { from: timeBoundArg(feed, 'start', start), to: timeBoundArg(feed, 'end', end) };
}

export function rangeArgs(
  feed: string,
  start: unknown,
  end: unknown,
  options: { format?: unknown } | undefined,
): { format: CanonicalFormat; from: TimeBound; to: TimeBound } {
  checkCallOptions(feed, 'range', options, ['format']);
  const format = resolveFormat(options?.format, feed);
  // Not { format, ...spanArgs() }: the spread copies a second object on every call (a time seek's path).
  return { format, from: timeBoundArg(feed, 'start', start), to: timeBoundArg(feed, 'end', end) };
}

export function rangeBatchesArgs(
  feed: string,
  start: unknown,
  end: unknown,
  options: { format?: unknown; batchSize?: unknown; int64?: unknown } | undefined,
  readerInt64: Int64Mode,
): { format: CanonicalFormat; batchSize: number; int64: Int64Mode; from: TimeBound; to: TimeBound } {
  checkCallOptions(feed, 'rangeBatches', options, ['format', 'batchSize', 'int64']);
  const format = resolveFormat(options?.format, feed);
  const { batchSize, int64 } = resolveBatchOptions(feed, options, readerInt64);
  return { format, batchSize, int64, ...spanArgs(feed, start, end) };
}

export function rangeSeqArgs(
  feed: string,
  fromSeq: unknown,
  toSeq: unknown,
  options: { format?: unknown } | undefined,
): { format: CanonicalFormat; from: number; to: number } {
  checkCallOptions(feed, 'rangeSeq', options, ['format']);
  const format = resolveFormat(options?.format, feed);
  return { format, from: seqArg(feed, 'fromSeq', fromSeq), to: seqArg(feed, 'toSeq', toSeq) };
}

export function latestArgs(
  feed: string,
  seconds: unknown,
  options: { format?: unknown } | undefined,
): { format: CanonicalFormat; seconds: number } {
  checkCallOptions(feed, 'latest', options, ['format']);
  const format = resolveFormat(options?.format, feed);
  if (typeof seconds !== 'number' || !(seconds >= 0)) {
    throw new DeepwaterRangeError(
      `Feed "${feed}": latest(seconds) needs a number >= 0, got ${String(seconds)}`,
    );
  }
  return { format, seconds };
}

export function asOfArgs(
  feed: string,
  ts: unknown,
  options: { format?: unknown } | undefined,
): { format: StreamFormat; ts: TimeBound } {
  checkCallOptions(feed, 'asOf', options, ['format']);
  return { format: resolveStreamFormat(options?.format, feed), ts: timeBoundArg(feed, 'ts', ts) };
}
