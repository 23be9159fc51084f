import { Box, Text } from 'ink';
import { fitCell, formatAge, formatBytes, formatTimestamp } from '../data/format.js';
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
      ? 'disk free —'
      : `disk free ${formatBytes(storage.diskFreeBytes)} of ${formatBytes(storage.diskTotalBytes)}`;
  const oldest =
    storage.oldestTs == null
      ? 'oldest data —'
      : `oldest data ${formatTimestamp(storage.oldestTs).slice(0, 16)} (${formatAge(storage.oldestTs, nowUs)})`;
  const line = `Storage │ ${free} │ feeds use ${formatBytes(storage.totalBytes)} │ ${oldest}`;
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
