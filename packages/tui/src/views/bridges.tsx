import { Box, Text } from 'ink';
import { BRIDGE_STATE_COLOR } from '../data/bridge-status.js';
import { fitCell, formatAgeShort, formatCount, formatDuration, formatRate, MISSING } from '../data/format.js';
import type { BridgeView } from '../data/model.js';

export interface BridgesProps {
  bridges: readonly BridgeView[];
  width: number;
}

interface Column {
  title: string;
  width: number;
  cell: (view: BridgeView) => string;
}

/** Right-aligned columns after BRIDGE and STATE, in the order they are dropped on a narrow terminal (last first). */
const COLUMNS: readonly Column[] = [
  { title: 'BEHIND', width: 8, cell: (v) => formatCount(v.bridge.recordsBehind) },
  {
    title: 'LAG',
    width: 8,
    cell: (v) => (v.bridge.secondsBehind == null ? MISSING : formatDuration(v.bridge.secondsBehind * 1e6)),
  },
  { title: 'RATE', width: 9, cell: (v) => formatRate(v.bridge.recordsPerSecond) },
  { title: 'RECONN', width: 6, cell: (v) => formatCount(v.bridge.reconnects) },
  { title: 'NEXT SEQ', width: 9, cell: (v) => formatCount(v.bridge.nextSeq) },
  { title: 'RETRY', width: 5, cell: (v) => formatCount(v.bridge.retries) },
  { title: 'LOST', width: 6, cell: (v) => formatCount(v.bridge.lostRecords) },
  { title: 'UPDATED', width: 8, cell: (v) => formatAgeShort(v.statusAgeUs) },
];
const STATE_WIDTH = 10;
const MIN_NAME_WIDTH = 24;

/** What flows where: `replicate trades → DW_A_TRADES`, `mirror DW_A_TRADES → copy`. */
export function bridgeName(view: BridgeView): string {
  const { role, feed, stream, path } = view.bridge;
  if (role === 'replicate') return `replicate ${feed ?? MISSING} → ${stream ?? MISSING}`;
  if (role === 'mirror') return `mirror ${stream ?? MISSING} → ${feed ?? MISSING}`;
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Lines the view takes for these bridges (the app sizes the feed table with it). */
export function bridgesHeight(bridges: readonly BridgeView[]): number {
  if (bridges.length === 0) return 0;
  return 1 + bridges.length + bridges.filter((b) => problemOf(b) !== null).length;
}

function problemOf(view: BridgeView): string | null {
  if (view.bridge.error !== null) return `${view.bridge.path}: ${view.bridge.error}`;
  if (view.state === 'STALE') {
    const pid = view.bridge.pid == null ? '' : ` (pid ${view.bridge.pid})`;
    return `status not updated for ${formatAgeShort(view.statusAgeUs)}: is the bridge${pid} still running?`;
  }
  if ((view.state === 'FAILED' || view.state === 'RETRYING') && view.bridge.lastError !== null)
    return view.bridge.lastError;
  return null;
}

/** The BRIDGES view: one line per bridge status file, with the reason under a bridge in trouble. */
export function Bridges({ bridges, width }: BridgesProps) {
  if (bridges.length === 0) return null;
  // Keep as many columns as fit beside a readable name; the name takes what is left.
  let columns = COLUMNS.slice();
  const fixed = () => STATE_WIDTH + columns.reduce((sum, c) => sum + c.width + 1, 0) + 1;
  while (columns.length > 0 && width - fixed() < MIN_NAME_WIDTH) columns = columns.slice(0, -1);
  const nameWidth = Math.max(1, width - fixed());
  const line = (name: string, state: string, cells: string[]) =>
    `${fitCell(name, nameWidth)} ${fitCell(state, STATE_WIDTH)}${cells
      .map((c, i) => ` ${fitCell(c, columns[i]?.width ?? 0, 'right')}`)
      .join('')}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {line(
          'BRIDGES (NATS)',
          'STATE',
          columns.map((c) => c.title),
        )}
      </Text>
      {bridges.map((view) => {
        const problem = problemOf(view);
        const cells = columns.map((c) => c.cell(view));
        return (
          <Box key={view.bridge.path} flexDirection="column">
            <Text wrap="truncate">
              {fitCell(bridgeName(view), nameWidth)}{' '}
              <Text color={BRIDGE_STATE_COLOR[view.state]}>{fitCell(view.state, STATE_WIDTH)}</Text>
              {cells.map((c, i) => ` ${fitCell(c, columns[i]?.width ?? 0, 'right')}`).join('')}
            </Text>
            {problem === null ? null : (
              <Text color="red" wrap="truncate">
                {fitCell(`  ! ${problem}`, width)}
              </Text>
            )}
          </Box>
        );
      })}
    </Box>
  );
}
