import { useApp, useInput, useStdin } from 'ink';
import type { Dispatch } from 'react';
import type { UiAction, UiState } from '../data/ui-state.js';

/**
 * Maps keys to UI actions. While a filter is being typed every printable key is text (so 'q' and
 * 's' can appear in a filter); otherwise letters are commands.
 */
export function useDashboardKeys(
  ui: UiState,
  dispatch: Dispatch<UiAction>,
  visible: readonly string[],
  pageSize: number,
  onQuit: () => void,
): void {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (ui.filterDraft != null) {
        if (key.return) dispatch({ type: 'filter-commit' });
        else if (key.escape) dispatch({ type: 'filter-cancel' });
        else if (key.backspace || key.delete) dispatch({ type: 'filter-erase' });
        else if (input && !key.ctrl && !key.meta) dispatch({ type: 'filter-type', text: input });
        return;
      }
      if (input === 'q') {
        onQuit();
        exit();
      } else if (key.upArrow || input === 'k') dispatch({ type: 'move', delta: -1, visible });
      else if (key.downArrow || input === 'j') dispatch({ type: 'move', delta: 1, visible });
      else if (key.pageUp) dispatch({ type: 'move', delta: -pageSize, visible });
      else if (key.pageDown) dispatch({ type: 'move', delta: pageSize, visible });
      else if (key.home || input === 'g') dispatch({ type: 'select-edge', edge: 'first', visible });
      else if (key.end || input === 'G') dispatch({ type: 'select-edge', edge: 'last', visible });
      else if (key.return && ui.screen === 'table') dispatch({ type: 'open-detail', visible });
      else if (key.escape || key.leftArrow || input === 'h' || key.backspace || key.delete) {
        if (ui.screen !== 'table') dispatch({ type: 'back' });
        else if (key.escape && ui.filter) dispatch({ type: 'filter-clear' });
      } else if (input === '?') dispatch({ type: 'toggle-help' });
      else if (input === 's') dispatch({ type: 'cycle-sort' });
      else if (input === 'S') dispatch({ type: 'reverse-sort' });
      else if (input === '/') dispatch({ type: 'filter-start' });
    },
    // Without a TTY (piped stdin) Ink cannot enter raw mode; the dashboard then just displays.
    { isActive: isRawModeSupported },
  );
}
