import { Box, Text } from 'ink';
import { STATE_COLOR } from '../data/feed-state.js';
import { fitCell, formatTimestamp } from '../data/format.js';
import type { DashboardModel } from '../data/model.js';
import type { UiState } from '../data/ui-state.js';

export interface HeaderProps {
  model: DashboardModel;
  ui: UiState;
  width: number;
}

/** Two lines: where and when we are and how the base is doing; then what the keys do here. */
export function Header({ model, ui, width }: HeaderProps) {
  const { snapshot } = model;
  const time = `${formatTimestamp(snapshot.takenAtUs).slice(0, 19)} UTC`;
  const feeds = `${snapshot.feeds.length} feed${snapshot.feeds.length === 1 ? '' : 's'}`;
  const title = 'Deepwater';
  // The path is the part that gives way on a narrow terminal.
  const fixed = title.length + time.length + feeds.length + model.overall.length + 4 * 3;
  const path = fitPath(snapshot.basePath, Math.max(8, width - fixed));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          {title}
        </Text>
        {` │ ${path} │ ${time} │ ${feeds} │ `}
        <Text bold color={STATE_COLOR[model.overall]}>
          {model.overall}
        </Text>
      </Text>
      <Text dimColor wrap="truncate">
        {fitCell(keyHints(ui), width)}
      </Text>
    </Box>
  );
}

function keyHints(ui: UiState): string {
  if (ui.filterDraft != null) return `filter: /${ui.filterDraft}▏  ⏎ apply · esc cancel`;
  if (ui.screen === 'detail') return '↑↓/jk other feed · esc back · ? help · q quit';
  if (ui.screen === 'help') return '? or esc back · q quit';
  const sort = `s sort:${ui.sortKey}${ui.sortReversed ? '↑' : ''}`;
  const filter = ui.filter ? `/ filter:"${ui.filter}" (esc clears)` : '/ filter';
  return `↑↓/jk select · ⏎ detail · ${sort} · S reverse · ${filter} · ? help · q quit`;
}

/** Keeps the end of a long path (the base's own name), which is the part that identifies it. */
function fitPath(path: string, width: number): string {
  return path.length <= width ? path : `…${path.slice(path.length - width + 1)}`;
}
