import { useApp, useInput, useStdin } from 'ink';
import { type Dispatch, useRef } from 'react';
import { keyAction, splitKeys } from '../data/key-map.js';
import { type UiAction, type UiState, uiReducer } from '../data/ui-state.js';

/** Feeds keypresses through keyAction; 'q' calls onQuit and unmounts the app. */
export function useDashboardKeys(
  ui: UiState,
  dispatch: Dispatch<UiAction>,
  visible: readonly string[],
  pageSize: number,
  onQuit: () => void,
): void {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  // Keys can arrive faster than React re-renders: each one must see the state the previous left.
  const latest = useRef(ui);
  latest.current = ui;
  useInput(
    (input, key) => {
      for (const [ch, flags] of splitKeys(input, key)) {
        const action = keyAction(latest.current, ch, flags, { visible, pageSize });
        if (action === 'quit') {
          onQuit();
          exit();
          return;
        }
        if (action) {
          latest.current = uiReducer(latest.current, action);
          dispatch(action);
        }
      }
    },
    // Without a TTY (piped stdin) Ink cannot enter raw mode; the dashboard then only displays.
    { isActive: isRawModeSupported },
  );
}
