// Option checking shared by the public functions: misuse throws before any syscall.
import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';
import { MAX_MAPPING_BYTES } from './binding.js';

/** Throws a TypeError for an unknown option, suggesting the closest known one. */
export function checkOptionNames(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    throw new DeepwaterTypeError(
      `${where}: unknown option "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ` +
        `known options: ${known.join(', ')}`,
    );
  }
}

export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new DeepwaterTypeError(`${where}: ${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** A byte count for a mapping: a positive safe integer, or undefined for "the whole file". */
export function checkSize(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new DeepwaterRangeError(
      `${where}: size must be a positive integer number of bytes, got ${describe(value)}`,
    );
  }
  if (value > MAX_MAPPING_BYTES) {
    throw new DeepwaterRangeError(
      `${where}: size ${value} exceeds the largest mapping this Node can expose as one ArrayBuffer (MAX_MAPPING_BYTES = ${MAX_MAPPING_BYTES})`,
    );
  }
  return value;
}

/**
 * A permission mode for a file this call creates: an integer in 0..0o777 (no setuid, setgid or
 * sticky bit), or undefined for the default (0o644 less the process umask).
 */
export function checkMode(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o777) {
    throw new DeepwaterRangeError(
      `${where}: mode must be an integer permission mode from 0 to 0o777, got ${typeof value === 'number' ? `0o${value.toString(8)}` : describe(value)}`,
    );
  }
  return value;
}

export function checkPath(where: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new DeepwaterTypeError(`${where}: path must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3; // farther than this is not a typo
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

export interface ParallelOptions {
  /**
   * Threads the call may use at once, itself included (default 1). Large jobs only are split;
   * the threads exist for the call alone and inherit the process's cpu affinity.
   */
  threads?: number;
}

export function threadsOption(where: string, options: ParallelOptions): number {
  checkOptionNames(where, options, ['threads']);
  const threads = options.threads ?? 1;
  if (!(Number.isSafeInteger(threads) && threads >= 1)) {
    throw new DeepwaterRangeError(`${where}: threads must be an integer >= 1, got ${describe(threads)}`);
  }
  return threads;
}
