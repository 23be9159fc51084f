import type { UiAction, UiState } from './ui-state.js';

/** The subset of Ink's Key the dashboard reacts to. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export interface KeyContext {
  visible: readonly string[];
  pageSize: number;
}

/**
 * What one key does in the current state. While a filter is being typed every printable key is
 * text (so 'q' and 's' can be in a filter); otherwise letters are commands.
 */
export function keyAction(
  ui: UiState,
  input: string,
  key: KeyFlags,
  ctx: KeyContext,
): UiAction | 'quit' | null {
  const { visible, pageSize } = ctx;
  if (ui.filterDraft != null) {
    if (key.return) return { type: 'filter-commit' };
    if (key.escape) return { type: 'filter-cancel' };
    if (key.backspace || key.delete) return { type: 'filter-erase' };
    if (input && !key.ctrl && !key.meta) return { type: 'filter-type', text: input };
    return null;
  }
  if (input === 'q') return 'quit';
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1, visible };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1, visible };
  if (key.pageUp) return { type: 'move', delta: -pageSize, visible };
  if (key.pageDown) return { type: 'move', delta: pageSize, visible };
  if (key.home || input === 'g') return { type: 'select-edge', edge: 'first', visible };
  if (key.end || input === 'G') return { type: 'select-edge', edge: 'last', visible };
  if (key.return) return ui.screen === 'table' ? { type: 'open-detail', visible } : null;
  if (key.escape || key.leftArrow || key.backspace || key.delete || input === 'h') {
    if (ui.screen !== 'table') return { type: 'back' };
    return key.escape && ui.filter ? { type: 'filter-clear' } : null;
  }
  if (input === '?') return { type: 'toggle-help' };
  if (input === 's') return { type: 'cycle-sort' };
  if (input === 'S') return { type: 'reverse-sort' };
  if (input === '/') return { type: 'filter-start' };
  return null;
}

/**
 * Ink hands keys that arrive together (typed fast, pasted, or sent by tmux send-keys) to the
 * handler as one string; they are split back into single keypresses so none is lost.
 */
export function splitKeys(input: string, key: KeyFlags): [string, KeyFlags][] {
  if (input.length <= 1 || key.ctrl || key.meta || input.includes('\u001b')) return [[input, key]];
  return [...input].map((ch): [string, KeyFlags] => {
    if (ch === '\r' || ch === '\n') return ['', { return: true }];
    if (ch === '\u007f' || ch === '\b') return ['', { backspace: true }];
    return [ch, {}];
  });
}
