import { DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';

export const FEED_NAME_MAX_LENGTH = 64;
const FEED_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Why `name` is not a valid feed name, or undefined when it is. */
export function feedNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `feed name must be a string, got ${typeof name}`;
  if (name.length === 0) return 'feed name must not be empty';
  if (name.length > FEED_NAME_MAX_LENGTH) {
    return `feed name "${name}" is ${name.length} characters long; at most ${FEED_NAME_MAX_LENGTH} are allowed`;
  }
  if (!FEED_NAME_PATTERN.test(name)) {
    return `feed name ${JSON.stringify(name)} may only contain [A-Za-z0-9._-] and must not start with "."`;
  }
  return undefined;
}

/** For lookups (createWriter, createReader, ...): a bad name is misuse, not a missing feed. */
export function assertFeedName(name: unknown): asserts name is string {
  const problem = feedNameProblem(name);
  if (problem !== undefined) {
    throw typeof name === 'string'
      ? new DeepwaterRangeError(`Invalid ${problem}`)
      : new DeepwaterTypeError(`Invalid ${problem}`);
  }
}
