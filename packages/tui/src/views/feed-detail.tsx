import { Box, Text } from 'ink';
import { STATE_COLOR } from '../data/feed-state.js';
import {
  fitCell,
  formatAge,
  formatByteRate,
  formatBytes,
  formatClock,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  formatRetention,
  formatTimestamp,
  MISSING,
} from '../data/format.js';
import type { FeedView } from '../data/model.js';
import { formatValue, receiveLatency, receiveTimestampField, timestampFields } from '../data/records.js';
import { sparkline } from '../data/sparkline.js';
import type { FeedSchema, RingSnapshot } from '../data/types.js';

export interface LatestRecords {
  rows: Record<string, unknown>[] | null;
  /** Wall-clock µs when `rows` were read: receive→read latency is measured against it. */
  readAtUs: number | null;
  error: string | null;
}

export interface FeedDetailProps {
  view: FeedView;
  schema: FeedSchema | null;
  latest: LatestRecords;
  nowUs: number;
  width: number;
  height: number;
}

const MAX_RECORDS_SHOWN = 8;
/** Ring readers listed one per line in the detail view; the rest are counted. */
const MAX_READERS_SHOWN = 3;

/** Everything about one feed: identity, counters, storage or ring, schema, newest records, findings. */
export function FeedDetail({ view, schema, latest, nowUs, width, height }: FeedDetailProps) {
  const { feed } = view;
  const lines: string[] = [];
  const kind = feed.persist ? 'disk' : 'ring';
  const writer = feed.writerPid == null ? 'no writer' : `writer pid ${feed.writerPid}`;
  lines.push(
    `records ${formatCount(feed.records)} · ${formatRate(view.rate1s)} (1 min ${formatRate(view.rate1m)}) · ${formatByteRate(view.bytesPerSecond)} · newest ${formatAge(feed.lastAppendUs ?? feed.lastTs, nowUs)}`,
  );
  lines.push(`first ${formatTimestamp(feed.firstTs)} · last ${formatTimestamp(feed.lastTs)} UTC`);
  if (feed.persist) {
    const horizon = feed.retentionHours ? nowUs - feed.retentionHours * 3600e6 : null;
    const expiry = horizon == null ? '' : ` (drops data before ${formatTimestamp(horizon).slice(5, 16)})`;
    lines.push(
      `chunks ${formatCount(feed.chunkCount)} · ${formatBytes(feed.bytesOnDisk)} on disk · retention ${formatRetention(feed.retentionHours)}${expiry}`,
    );
  } else {
    lines.push(...ringLines(feed.ring, nowUs));
  }
  const spark = sparkline(view.rateHistory.slice(-Math.max(10, Math.min(60, width - 20))));
  const schemaLines = schema ? wrapSchema(schema, width - 2) : [`  ${MISSING}`];
  const receiveField = schema ? receiveTimestampField(schema) : null;
  const findings = view.findings.slice(0, 4);
  // Whatever height is left after the fixed parts goes to the newest records.
  const fixedLines =
    1 + lines.length + 1 + 1 + schemaLines.length + 1 + 1 + 1 + 1 + Math.max(1, findings.length);
  const recordCount = Math.max(1, Math.min(MAX_RECORDS_SHOWN, height - fixedLines - 1));
  const rows = latest.rows?.slice(-recordCount) ?? null;
  const tsFields = timestampFields(schema);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold>{feed.name}</Text>
        {'  '}
        <Text bold color={STATE_COLOR[view.state]}>
          {view.state}
        </Text>
        {`  ${kind} · ${feed.mode} · ${feed.recordSize} B/record · ${writer}`}
      </Text>
      {lines.map((line, i) => (
        // Lines are positions in a fixed list (reader lines can start alike), so the position is the key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={i} wrap="truncate">
          {fitCell(line, width)}
        </Text>
      ))}
      <Text wrap="truncate">
        <Text dimColor>rate, last minute </Text>
        <Text color="cyan">{spark}</Text>
      </Text>
      <Text
        bold
      >{`Schema ${feed.fmt ?? schema?.fmt ?? ''}${schema?.tsCol ? ` (time column ${schema.tsCol})` : ''}`}</Text>
      {schemaLines.map((line) => (
        <Text key={line} wrap="truncate">
          {line}
        </Text>
      ))}
      <Text bold>Latest records</Text>
      {recordTable(schema, rows, latest.error, tsFields, width).map((line, i) => (
        // Rows are positions in a fixed-size window, so the position is the right key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={i} wrap="truncate" dimColor={i === 0}>
          {line}
        </Text>
      ))}
      <Text wrap="truncate">{latencyLine(receiveField, latest, rows, view.state === 'LIVE')}</Text>
      <Text bold>Health</Text>
      {findings.length === 0 ? (
        <Text color="green">{'  no findings'}</Text>
      ) : (
        findings.map((f) => (
          <Text
            key={`${f.code}:${f.firstSeenUs}`}
            wrap="truncate"
            color={f.active ? (f.severity === 'error' ? 'red' : 'yellow') : undefined}
            dimColor={!f.active}
          >
            {`  ${f.active ? '!' : '✓'} ${formatClock(f.firstSeenUs)} ${f.message}${f.active ? '' : ' (resolved)'}`}
          </Text>
        ))
      )}
    </Box>
  );
}

function ringLines(ring: RingSnapshot | null, nowUs: number): string[] {
  if (!ring) return [`ring ${MISSING} (the sdk reports no ring status for this feed)`];
  const fill =
    ring.fillRecords != null && ring.capacity ? formatPercent(ring.fillRecords / ring.capacity) : MISSING;
  return [
    `ring ${formatCount(ring.capacity)} records (${formatBytes(ring.shmBytes)} shm) · fill ${fill} · wraps ${formatCount(ring.wraps)} · lost ${formatCount(ring.lostRecords)}`,
    ...readerLines(ring.readers, nowUs),
  ];
}

/** One line per reader, most lagging first (the sdk's order), so the one to worry about shows. */
function readerLines(readers: RingSnapshot['readers'], nowUs: number): string[] {
  if (!readers) return [`readers ${MISSING} (not reported)`];
  if (readers.length === 0) return ['readers: none attached'];
  const lines = [`readers ${readers.length}, most lagging first:`];
  for (const r of readers.slice(0, MAX_READERS_SHOWN)) {
    const seen = r.heartbeatUs == null ? '' : ` · seen ${formatAge(r.heartbeatUs, nowUs)}`;
    lines.push(
      `  pid ${r.pid ?? '?'} lag ${formatCount(r.lagRecords)} lost ${formatCount(r.lostRecords)}${seen}`,
    );
  }
  if (readers.length > MAX_READERS_SHOWN) lines.push(`  … ${readers.length - MAX_READERS_SHOWN} more`);
  return lines;
}

/** Fields flow left to right as `name:type`, wrapped to the width, so a wide schema takes few lines. */
function wrapSchema(schema: FeedSchema, width: number): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const field of schema.fields) {
    const item = ` ${field.name}:${field.type}${field.offset != null ? `@${field.offset}` : ''}`;
    if (line.length + item.length > width && line.trim()) {
      lines.push(line);
      line = ' ';
    }
    line += item;
  }
  if (line.trim()) lines.push(line);
  return lines.length ? lines : [`  ${MISSING}`];
}

function recordTable(
  schema: FeedSchema | null,
  rows: Record<string, unknown>[] | null,
  error: string | null,
  tsFields: ReadonlySet<string>,
  width: number,
): string[] {
  if (error) return [`  could not read records: ${error}`];
  if (rows == null) return ['  loading…'];
  if (rows.length === 0) return ['  no records yet'];
  const names = schema?.fields.length ? schema.fields.map((f) => f.name) : Object.keys(rows[0]);
  const labels = names.map((n) => schema?.fields.find((f) => f.name === n)?.labels);
  const cells = rows.map((row) =>
    names.map((n, i) => labels[i]?.[String(row[n])] ?? formatValue(row[n], tsFields.has(n))),
  );
  const widths = names.map((n, i) => Math.min(26, Math.max(n.length, ...cells.map((c) => c[i].length))));
  // Columns that do not fit are dropped from the right and counted, never squeezed into nonsense.
  let used = 2;
  let shown = 0;
  while (shown < names.length && used + widths[shown] + 1 <= width) used += widths[shown++] + 1;
  shown = Math.max(1, shown);
  const more = names.length - shown;
  const render = (values: string[]) =>
    `  ${values
      .slice(0, shown)
      .map((v, i) => fitCell(v, widths[i], i === 0 ? 'left' : 'right'))
      .join(' ')}`;
  const header = render(names) + (more ? ` +${more}` : '');
  return [header, ...cells.map(render)];
}

function latencyLine(
  field: string | null,
  latest: LatestRecords,
  rows: Record<string, unknown>[] | null,
  live: boolean,
): string {
  if (!field) return `Receive→read latency: ${MISSING} (the schema has no receive-time field)`;
  // For a feed that is not flowing this would only be the age of its data, shown above already.
  if (!live) return `Receive→read latency (${field}): ${MISSING} (the feed is not live)`;
  if (!rows || rows.length === 0 || latest.readAtUs == null)
    return `Receive→read latency (${field}): ${MISSING}`;
  const l = receiveLatency(rows, field, latest.readAtUs);
  return `Receive→read latency (${field}): newest ${formatDuration(l.newestUs)} · median of shown ${formatDuration(l.medianUs)}`;
}
