import { RingError, RingForeignError, RingLockedError, RingOverrunError } from '@deepwater/ring';
import { DeepwaterError, OverrunError, writerLockedError } from '../errors.js';

/** Re-raises @deepwater/ring errors as the sdk's errors (stable codes, the feed named). */
export function translateRingError(feed: string, error: unknown): unknown {
  if (error instanceof RingOverrunError) {
    return new OverrunError(
      `Feed "${feed}": reader was overrun by the writer and skipped ${error.lost} record(s) ` +
        `(${error.totalLost} lost in total); it continues at the oldest record the ring still holds`,
      error.lost,
      { feed, cause: error },
    );
  }
  if (error instanceof RingLockedError) {
    return writerLockedError(feed, error.lockPath, error.pid, undefined, error);
  }
  if (error instanceof RingForeignError) {
    return new DeepwaterError('ERR_RING_FOREIGN', `Feed "${feed}": ${error.message}`, {
      feed,
      path: error.path,
      cause: error,
    });
  }
  if (error instanceof RingError && error.code === 'ERR_RING_LAYOUT') {
    return new DeepwaterError('ERR_FORMAT_VERSION', `Feed "${feed}": ${error.message}`, {
      feed,
      cause: error,
    });
  }
  return error;
}
