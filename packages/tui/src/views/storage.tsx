import { Box, Text } from 'ink';
import { fitCell, formatAgeShort, formatBytes, formatTimestamp, MISSING } from '../data/format.js';
import type { StorageView } from '../data/model.js';

export interface StorageProps {
  storage: StorageView;
  nowUs: number;
  width: number;
}

/** One line about the filesystem the base lives on, plus a warning line when space runs low. */
export function Storage({ storage, nowUs, width }: StorageProps) {
  const free =
    storage.diskFreeBytes == null
      ? `free ${MISSING}`
      : `free ${formatBytes(storage.diskFreeBytes)}/${formatBytes(storage.diskTotalBytes)}`;
  const oldest =
    storage.oldestTs == null
      ? `oldest ${MISSING}`
      : `oldest ${shortDate(storage.oldestTs, nowUs)} (${formatAgeShort(nowUs - storage.oldestTs)} ago)`;
  const line = `Storage: ${free} │ feeds ${formatBytes(storage.totalBytes)} │ ${oldest}`;
  const active = storage.findings.filter((f) => f.active);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">{fitCell(line, width)}</Text>
      {active.map((f) => (
        <Text key={f.code} color={f.severity === 'error' ? 'red' : 'yellow'} wrap="truncate">
          {fitCell(`! ${f.message}`, width)}
        </Text>
      ))}
    </Box>
  );
}

/** The year only when it is not this year's: it is what makes room for the rest of the line. */
function shortDate(us: number, nowUs: number): string {
  const text = formatTimestamp(us).slice(0, 16);
  return text.slice(0, 4) === formatTimestamp(nowUs).slice(0, 4) ? text.slice(5) : text;
}
