import { Box, Text } from 'ink';
import { STATE_COLOR } from '../data/feed-state.js';
import type { FeedView } from '../data/model.js';
import { layoutColumns, MARKER_WIDTH, renderCells } from './columns.js';

export interface FeedTableProps {
  feeds: readonly FeedView[];
  selected: string | null;
  width: number;
  /** Lines available for the table, its title row included. */
  height: number;
  /** Why the table is empty when it is: no feeds at all, or none matching the filter. */
  emptyMessage: string;
}

/** The per-feed table: the columns that fit the width, and a window of rows that keeps the selection in view. */
export function FeedTable({ feeds, selected, width, height, emptyMessage }: FeedTableProps) {
  const longest = feeds.reduce((max, f) => Math.max(max, f.feed.name.length), 4);
  const layout = layoutColumns(width, longest, { rings: feeds.some((f) => !f.feed.persist) });
  const title = ' '.repeat(MARKER_WIDTH) + renderCells(layout, (c) => c.title, 'FEED');
  const scrolling = feeds.length > height - 1;
  // A scrolling table gives its last line to the 'rows a–b of n' note.
  const bodyHeight = Math.max(1, height - 1 - (scrolling ? 1 : 0));
  const selectedIndex = Math.max(
    0,
    feeds.findIndex((f) => f.feed.name === selected),
  );
  const first = windowStart(selectedIndex, feeds.length, bodyHeight);
  const shown = feeds.slice(first, first + bodyHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      {feeds.length === 0 ? (
        <Text dimColor wrap="truncate">
          {'  '}
          {emptyMessage}
        </Text>
      ) : (
        shown.map((view) => {
          const isSelected = view.feed.name === selected;
          const stateColumn = layout.columns[0]?.id === 'state';
          const cells = renderCells(layout, (c) => c.cell(view, c.width), view.feed.name);
          // The state word is recoloured in place; the rest of the row keeps the selection's inverse.
          const nameAndRest = stateColumn ? splitState(cells, layout.nameWidth) : null;
          return (
            <Text key={view.feed.name} inverse={isSelected} wrap="truncate">
              {isSelected ? '› ' : '  '}
              {nameAndRest ? (
                <>
                  {nameAndRest[0]}
                  <Text color={STATE_COLOR[view.state]}>{nameAndRest[1]}</Text>
                  {nameAndRest[2]}
                </>
              ) : (
                cells
              )}
            </Text>
          );
        })
      )}
      {feeds.length > shown.length ? (
        <Text dimColor wrap="truncate">
          {`  ${first + 1}–${first + shown.length} of ${feeds.length}`}
        </Text>
      ) : null}
    </Box>
  );
}

/** Scrolls only when the selection would leave the window, keeping it a row from the edge. */
function windowStart(selectedIndex: number, total: number, size: number): number {
  if (total <= size) return 0;
  const start = Math.min(Math.max(0, selectedIndex - size + 2), total - size);
  return Math.max(0, start);
}

function splitState(line: string, nameWidth: number): [string, string, string] {
  const stateStart = nameWidth + 1;
  return [line.slice(0, stateStart), line.slice(stateStart, stateStart + 5), line.slice(stateStart + 5)];
}
