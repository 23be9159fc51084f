import { Box, Text } from 'ink';
import type { StateThresholds } from '../data/feed-state.js';

export interface HelpProps {
  thresholds: StateThresholds;
  width: number;
}

const KEYS: readonly [string, string][] = [
  ['↑ ↓  j k', 'select a feed (in the detail view: show the next one)'],
  ['PgUp PgDn  g G', 'page / jump to the first or last feed'],
  ['⏎', 'detail view of the selected feed'],
  ['esc  ←  h', 'back to the table; in the table, clear the filter'],
  ['s  S', 'sort by the next column / reverse the order'],
  ['/', 'filter feeds by name (⏎ applies, esc cancels)'],
  ['?', 'this help'],
  ['q  ctrl-c', 'quit'],
];

/** The key map and what each feed state means, with the thresholds in force. */
export function Help({ thresholds, width }: HelpProps) {
  const live = thresholds.liveSeconds;
  const max = thresholds.maxAgeSeconds;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Keys</Text>
      {KEYS.map(([keys, what]) => (
        <Text key={keys} wrap="truncate">
          {`  ${keys.padEnd(16)}${what}`}
        </Text>
      ))}
      <Text> </Text>
      <Text bold>Feed states (by the age of the newest record)</Text>
      <Text wrap="truncate">
        <Text color="green">{'  LIVE '}</Text>
        {` newest record at most ${live} s old`}
      </Text>
      <Text wrap="truncate">
        <Text color="yellow">{'  STALE'}</Text>
        {` a writer holds the feed, nothing for more than ${live} s`}
      </Text>
      <Text wrap="truncate">
        <Text color="red">{'  DOWN '}</Text>
        {` writer gone without closing the feed, newest record less than ${max} s old`}
      </Text>
      <Text wrap="truncate">
        <Text color="gray">{'  IDLE '}</Text>
        {` no records yet, closed by its writer, or no writer and data older than ${max} s`}
      </Text>
      <Text> </Text>
      <Text dimColor>
        Rates come from the feeds' record counters, sampled a few times a second: nothing here reads every
        record or talks to a writer.
      </Text>
    </Box>
  );
}
