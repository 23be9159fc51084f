import { STATE_SEVERITY } from './feed-state.js';
import type { FeedView } from './model.js';

export const SORT_KEYS = ['name', 'state', 'rate', 'records', 'age', 'disk'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Each key's natural direction: the most interesting feed first (busiest, worst, largest). */
const DEFAULT_DESCENDING: Record<SortKey, boolean> = {
  name: false,
  state: false,
  rate: true,
  records: true,
  age: false,
  disk: true,
};

export function nextSortKey(key: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(key) + 1) % SORT_KEYS.length];
}

function sortValue(view: FeedView, key: SortKey): number | string | null {
  switch (key) {
    case 'name':
      return view.feed.name;
    case 'state':
      return STATE_SEVERITY.indexOf(view.state);
    case 'rate':
      return view.rate1s;
    case 'records':
      return view.feed.records;
    case 'age':
      return view.ageUs;
    case 'disk':
      return view.feed.bytesOnDisk;
  }
}

/** Unknown values sort last in either direction; ties fall back to the name so rows do not jump. */
export function sortFeeds(feeds: readonly FeedView[], key: SortKey, reversed = false): FeedView[] {
  const descending = DEFAULT_DESCENDING[key] !== reversed;
  return [...feeds].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va == null || vb == null) {
      if (va != null) return -1;
      if (vb != null) return 1;
    } else if (va !== vb) {
      const order = va < vb ? -1 : 1;
      return descending ? -order : order;
    }
    return a.feed.name.localeCompare(b.feed.name);
  });
}

/** Case-insensitive substring match on the feed name; an empty filter shows everything. */
export function filterFeeds(feeds: readonly FeedView[], filter: string): FeedView[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return [...feeds];
  return feeds.filter((f) => f.feed.name.toLowerCase().includes(needle));
}
