import { useEffect, useState } from 'react';
import type { FeedSchema, StatusSource } from '../data/types.js';
import type { LatestRecords } from '../views/feed-detail.js';

export interface FeedRecords {
  schema: FeedSchema | null;
  latest: LatestRecords;
}

const EMPTY: FeedRecords = { schema: null, latest: { rows: null, readAtUs: null, error: null } };

/**
 * Decodes the newest few records of the feed on screen, once a second and only while the detail
 * view is open: the only place the dashboard reads records rather than counters.
 */
export function useLatestRecords(
  source: StatusSource,
  feed: string | null,
  count: number,
  rateHint: number | null,
  intervalMs = 1000,
): FeedRecords {
  const [state, setState] = useState<FeedRecords>(EMPTY);
  // The hint only sizes the read window: a new hint must not restart the timer four times a second.
  const [hint] = useState(() => ({ value: rateHint }));
  hint.value = rateHint;
  useEffect(() => {
    if (feed == null) return;
    let schema: FeedSchema | null = null;
    const load = () => {
      try {
        schema ??= source.schema(feed);
      } catch {
        schema = null;
      }
      try {
        const rows = source.latestRecords(feed, count, hint.value);
        setState({ schema, latest: { rows, readAtUs: source.clockUs(), error: null } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setState({ schema, latest: { rows: null, readAtUs: null, error: message } });
      }
    };
    setState(EMPTY);
    load();
    if (intervalMs <= 0) return;
    const timer = setInterval(load, intervalMs);
    return () => clearInterval(timer);
  }, [source, feed, count, intervalMs, hint]);
  return state;
}
