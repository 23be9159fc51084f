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
  const feeds = `${snapshot.feeds.length} feed${snapshot.feeds.length === 1 ? '' : 's'}`;
  const { title, path, time } = fitTitle(snapshot.basePath, snapshot.takenAtUs, feeds, model.overall, width);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          {title}
        </Text>
        {`${path}${time}${feeds} │ `}
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
  if (ui.screen === 'detail') return 'q quit · ? help · esc back · ↑↓/jk other feed';
  if (ui.screen === 'help') return 'q quit · ? or esc back';
  const sort = `s sort:${ui.sortKey}${ui.sortReversed ? '↑' : ''}`;
  const filter = ui.filter ? `/ filter:"${ui.filter}" (esc clears)` : '/ filter';
  // Quit and help first: on a narrow terminal the end of this line is what gets cut.
  return `q quit · ? help · ↑↓/jk select · ⏎ detail · ${sort} · S reverse · ${filter}`;
}

const SEPARATOR = ' │ ';

/**
 * The overall state and the feed count always show; on a narrow terminal the time loses its date,
 * then the path shrinks (keeping its end), then the title and the path go.
 */
function fitTitle(basePath: string, nowUs: number, feeds: string, overall: string, width: number) {
  const full = `${formatTimestamp(nowUs).slice(0, 19)} UTC`;
  const short = `${full.slice(11)}`;
  const must = feeds.length + SEPARATOR.length + overall.length;
  const title = 'Deepwater';
  for (const time of [full, short]) {
    const room = width - must - title.length - 3 * SEPARATOR.length - time.length;
    if (room >= Math.min(12, basePath.length)) {
      return { title, path: SEPARATOR + fitPath(basePath, room) + SEPARATOR, time: time + SEPARATOR };
    }
  }
  const room = width - must - short.length - SEPARATOR.length;
  return { title: '', path: '', time: room >= 0 ? short + SEPARATOR : '' };
}

/** Keeps the end of a long path (the base's own name), which is the part that identifies it. */
function fitPath(path: string, width: number): string {
  return path.length <= width ? path : `…${path.slice(path.length - width + 1)}`;
}
