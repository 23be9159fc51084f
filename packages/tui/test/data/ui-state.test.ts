import { describe, expect, it } from 'vitest';
import type { FeedView } from '../../src/data/model.js';
import { filterFeeds, nextSortKey, sortFeeds } from '../../src/data/sort.js';
import { INITIAL_UI_STATE, uiReducer } from '../../src/data/ui-state.js';
import { fakeFeed } from '../fixtures/fake-source.js';

const visible = ['a', 'b', 'c'];

describe('uiReducer', () => {
  it('moves the selection within the visible feeds and stops at the ends', () => {
    let s = uiReducer(INITIAL_UI_STATE, { type: 'move', delta: 1, visible });
    expect(s.selected).toBe('b');
    s = uiReducer(s, { type: 'move', delta: 10, visible });
    expect(s.selected).toBe('c');
    s = uiReducer(s, { type: 'move', delta: -10, visible });
    expect(s.selected).toBe('a');
  });

  it('opens the detail of the selection, or of the first feed when nothing was selected', () => {
    const s = uiReducer(INITIAL_UI_STATE, { type: 'open-detail', visible });
    expect(s).toMatchObject({ screen: 'detail', selected: 'a' });
    expect(uiReducer(INITIAL_UI_STATE, { type: 'open-detail', visible: [] }).screen).toBe('table');
  });

  it('edits a filter as a draft and applies it only on commit', () => {
    let s = uiReducer(INITIAL_UI_STATE, { type: 'filter-start' });
    s = uiReducer(s, { type: 'filter-type', text: 'tr' });
    s = uiReducer(s, { type: 'filter-type', text: 'x' });
    s = uiReducer(s, { type: 'filter-erase' });
    expect(s).toMatchObject({ filter: '', filterDraft: 'tr' });
    s = uiReducer(s, { type: 'filter-commit' });
    expect(s).toMatchObject({ filter: 'tr', filterDraft: null });
    s = uiReducer(uiReducer(s, { type: 'filter-start' }), { type: 'filter-cancel' });
    expect(s.filter).toBe('tr');
  });

  it('cycles the sort key and resets the direction', () => {
    const s = uiReducer({ ...INITIAL_UI_STATE, sortReversed: true }, { type: 'cycle-sort' });
    expect(s).toMatchObject({ sortKey: nextSortKey('name'), sortReversed: false });
  });
});

function view(name: string, rate1s: number | null, records: number): FeedView {
  return {
    feed: fakeFeed({ name, records }),
    state: 'LIVE',
    rate1s,
    rate1m: null,
    bytesPerSecond: null,
    rateHistory: [],
    ageUs: null,
    findings: [],
  };
}

describe('sortFeeds and filterFeeds', () => {
  const feeds = [view('beta', 10, 5), view('alpha', null, 50), view('gamma', 500, 1)];

  it('sorts by name ascending and by rate busiest first, with unknown rates last', () => {
    expect(sortFeeds(feeds, 'name').map((f) => f.feed.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(sortFeeds(feeds, 'rate').map((f) => f.feed.name)).toEqual(['gamma', 'beta', 'alpha']);
    expect(sortFeeds(feeds, 'rate', true).map((f) => f.feed.name)).toEqual(['beta', 'gamma', 'alpha']);
  });

  it('filters by a case-insensitive substring of the name', () => {
    expect(filterFeeds(feeds, 'AL').map((f) => f.feed.name)).toEqual(['alpha']);
    expect(filterFeeds(feeds, '  ')).toHaveLength(3);
  });
});
