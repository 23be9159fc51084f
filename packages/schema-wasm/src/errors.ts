/**
 * A schema that cannot become a record layout (unknown type, duplicate name, bad tsCol...).
 * `field` names the offending field where there is one.
 */
export class SchemaError extends Error {
  readonly code = 'ERR_SCHEMA' as const;
  readonly feed?: string;
  readonly field?: string;

  constructor(message: string, context: { feed?: string; field?: string } = {}) {
    super(message);
    this.name = 'SchemaError';
    if (context.feed !== undefined) this.feed = context.feed;
    if (context.field !== undefined) this.field = context.field;
  }
}

/** A TypeError or RangeError about one value, carrying the feed and field it concerns. */
export type ValueError = (TypeError | RangeError) & { feed?: string; field?: string; row?: number };

export function valueError(
  kind: 'type' | 'range',
  message: string,
  feed: string | undefined,
  field: string | undefined,
): ValueError {
  const error: ValueError = kind === 'type' ? new TypeError(message) : new RangeError(message);
  if (feed !== undefined) error.feed = feed;
  if (field !== undefined) error.field = field;
  return error;
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
