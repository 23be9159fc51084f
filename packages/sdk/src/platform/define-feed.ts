import type { FeedSpecInput } from './feed-spec.js';
import { resolveFeedSpec } from './feed-spec.js';
import { compileFeedLayout } from './feed-store.js';

/**
 * Declares a feed spec whose schema TypeScript can see: pass the result to createFeed, createWriter
 * and createReader and the values they take and return are typed from its fields. The spec is
 * checked now (ERR_INVALID_SPEC names what is wrong) and returned as is.
 */
export function defineFeed<const S extends FeedSpecInput>(spec: S): S {
  compileFeedLayout(resolveFeedSpec(spec));
  return spec;
}
