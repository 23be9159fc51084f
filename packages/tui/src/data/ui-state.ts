import type { SortKey } from './sort.js';
import { nextSortKey } from './sort.js';

export type Screen = 'table' | 'detail' | 'help';

export interface UiState {
  screen: Screen;
  /** Selection is by name so a re-sort or a new feed does not move the cursor to another feed. */
  selected: string | null;
  sortKey: SortKey;
  sortReversed: boolean;
  filter: string;
  /** Non-null while the user types a filter after '/'. */
  filterDraft: string | null;
}

export const INITIAL_UI_STATE: UiState = {
  screen: 'table',
  selected: null,
  sortKey: 'name',
  sortReversed: false,
  filter: '',
  filterDraft: null,
};

export type UiAction =
  | { type: 'move'; delta: number; visible: readonly string[] }
  | { type: 'select-edge'; edge: 'first' | 'last'; visible: readonly string[] }
  | { type: 'open-detail'; visible: readonly string[] }
  | { type: 'back' }
  | { type: 'toggle-help' }
  | { type: 'cycle-sort' }
  | { type: 'reverse-sort' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-commit' }
  | { type: 'filter-cancel' }
  | { type: 'filter-clear' };

/** The visible feed the cursor is on: the selected one if still shown, else the first. */
export function currentSelection(state: UiState, visible: readonly string[]): string | null {
  if (state.selected != null && visible.includes(state.selected)) return state.selected;
  return visible[0] ?? null;
}

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'move': {
      const { visible } = action;
      if (visible.length === 0) return state;
      const current = currentSelection(state, visible);
      const index = current == null ? 0 : visible.indexOf(current);
      const next = Math.min(visible.length - 1, Math.max(0, index + action.delta));
      return { ...state, selected: visible[next] };
    }
    case 'select-edge': {
      const { visible } = action;
      if (visible.length === 0) return state;
      return { ...state, selected: action.edge === 'first' ? visible[0] : visible[visible.length - 1] };
    }
    case 'open-detail': {
      const selected = currentSelection(state, action.visible);
      return selected == null ? state : { ...state, screen: 'detail', selected };
    }
    case 'back':
      return { ...state, screen: 'table' };
    case 'toggle-help':
      return { ...state, screen: state.screen === 'help' ? 'table' : 'help' };
    case 'cycle-sort':
      return { ...state, sortKey: nextSortKey(state.sortKey), sortReversed: false };
    case 'reverse-sort':
      return { ...state, sortReversed: !state.sortReversed };
    case 'filter-start':
      return { ...state, screen: 'table', filterDraft: state.filter };
    case 'filter-type':
      return state.filterDraft == null ? state : { ...state, filterDraft: state.filterDraft + action.text };
    case 'filter-erase':
      return state.filterDraft == null ? state : { ...state, filterDraft: state.filterDraft.slice(0, -1) };
    case 'filter-commit':
      return { ...state, filter: state.filterDraft ?? state.filter, filterDraft: null };
    case 'filter-cancel':
      return { ...state, filterDraft: null };
    case 'filter-clear':
      return { ...state, filter: '', filterDraft: null };
  }
}
