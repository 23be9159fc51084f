import { DeepwaterError, DeepwaterRangeError, DeepwaterTypeError } from '@deepwater/errors';

/**
 * A schema that cannot become a record layout (unknown type, duplicate name, bad tsCol...), code
 * ERR_SCHEMA. `field` names the offending field where there is one.
 */
export class SchemaError extends DeepwaterError {
  declare readonly code: 'ERR_SCHEMA';

  constructor(message: string, context: { feed?: string | undefined; field?: string | undefined } = {}) {
    super('ERR_SCHEMA', message, {
      ...(context.feed === undefined ? {} : { feed: context.feed }),
      ...(context.field === undefined ? {} : { field: context.field }),
    });
    this.name = 'SchemaError';
  }
}

/**
 * A TypeError (ERR_INVALID_ARGUMENT) or RangeError (ERR_OUT_OF_RANGE) about one value, carrying
 * the feed and field it concerns, and `row` for a row of a batch.
 */
export type ValueError = (DeepwaterTypeError | DeepwaterRangeError) & { row?: number };

export function valueError(
  kind: 'type' | 'range',
  message: string,
  feed: string | undefined,
  field: string | undefined,
): ValueError {
  const context = {
    ...(feed === undefined ? {} : { feed }),
    ...(field === undefined ? {} : { field }),
  };
  return kind === 'type'
    ? new DeepwaterTypeError(message, context)
    : new DeepwaterRangeError(message, context);
}

/** `Feed "trades": ` when the feed is known, so every message can start the same way. */
export function feedPrefix(feed: string | undefined): string {
  return feed === undefined ? '' : `Feed ${JSON.stringify(feed)}: `;
}

/** Capitalises the first letter when a message starts without a feed prefix. */
export function sentence(feed: string | undefined, rest: string): string {
  if (feed !== undefined) return feedPrefix(feed) + rest;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
