import {
  fitCell,
  formatAgeShort,
  formatByteRate,
  formatBytes,
  formatClock,
  formatCount,
  formatPercent,
  formatRate,
  formatRetention,
  MISSING,
} from '../data/format.js';
import type { FeedView } from '../data/model.js';
import { sparkline } from '../data/sparkline.js';

export interface Column {
  id: string;
  title: string;
  width: number;
  align: 'left' | 'right';
  /** A column that can use spare width grows up to this (the sparkline shows more history). */
  maxWidth?: number;
  cell(view: FeedView, width: number): string;
}

/** Shown where a column does not apply to the feed's kind (ring columns on a disk feed). */
const NOT_APPLICABLE = '';

const ring = (view: FeedView, value: (r: NonNullable<FeedView['feed']['ring']>) => string): string => {
  if (view.feed.persist) return NOT_APPLICABLE;
  return view.feed.ring ? value(view.feed.ring) : MISSING;
};

const disk = (view: FeedView, value: string): string => (view.feed.persist ? value : NOT_APPLICABLE);

/**
 * The table's columns, most important first: a narrow terminal shows a prefix of this list and a
 * wide one shows all of it. The name column is not here: it takes whatever width is left.
 */
export const COLUMNS: readonly Column[] = [
  { id: 'state', title: 'STATE', width: 5, align: 'left', cell: (v) => v.state },
  { id: 'rate1s', title: 'REC/S', width: 8, align: 'right', cell: (v) => formatRate(v.rate1s) },
  { id: 'rate1m', title: '1MIN', width: 8, align: 'right', cell: (v) => formatRate(v.rate1m) },
  {
    id: 'spark',
    title: 'LAST MIN',
    width: 8,
    maxWidth: 20,
    align: 'left',
    cell: (v, width) => sparkline(lastBuckets(v.rateHistory, width)),
  },
  { id: 'mbps', title: 'MB/S', width: 9, align: 'right', cell: (v) => formatByteRate(v.bytesPerSecond) },
  { id: 'age', title: 'AGE', width: 8, align: 'right', cell: (v) => formatAgeShort(v.ageUs) },
  { id: 'records', title: 'RECORDS', width: 7, align: 'right', cell: (v) => formatCount(v.feed.records) },
  { id: 'writer', title: 'WRITER', width: 7, align: 'right', cell: (v) => pid(v.feed.writerPid) },
  {
    id: 'disk',
    title: 'DISK',
    width: 8,
    align: 'right',
    cell: (v) => disk(v, formatBytes(v.feed.bytesOnDisk)),
  },
  {
    id: 'chunks',
    title: 'CHUNKS',
    width: 6,
    align: 'right',
    cell: (v) => disk(v, formatCount(v.feed.chunkCount)),
  },
  { id: 'fill', title: 'FILL', width: 5, align: 'right', cell: (v) => ring(v, (r) => ringFill(r)) },
  {
    id: 'readers',
    title: 'RDRS',
    width: 4,
    align: 'right',
    cell: (v) => ring(v, (r) => formatCount(r.readers?.length)),
  },
  { id: 'lag', title: 'LAG', width: 6, align: 'right', cell: (v) => ring(v, (r) => maxLag(r)) },
  {
    id: 'lost',
    title: 'LOST',
    width: 6,
    align: 'right',
    cell: (v) => ring(v, (r) => formatCount(r.lostRecords)),
  },
  {
    id: 'wraps',
    title: 'WRAPS',
    width: 6,
    align: 'right',
    cell: (v) => ring(v, (r) => formatCount(r.wraps)),
  },
  { id: 'first', title: 'FIRST', width: 8, align: 'right', cell: (v) => formatClock(v.feed.firstTs) },
  { id: 'last', title: 'LAST', width: 8, align: 'right', cell: (v) => formatClock(v.feed.lastTs) },
  {
    id: 'retention',
    title: 'KEEP',
    width: 7,
    align: 'right',
    cell: (v) => disk(v, formatRetention(v.feed.retentionHours)),
  },
];

export const NAME_MIN_WIDTH = 12;
const NAME_MAX_WIDTH = 32;
/** The selection marker before the name. */
export const MARKER_WIDTH = 2;

export interface TableLayout {
  nameWidth: number;
  columns: Column[];
}

/** Columns up to this one come before a full-width name; the rest only fit beside one. */
const LAST_CORE_COLUMN = 'records';

/**
 * With ring feeds shown, their readers' count, lag and losses are core: they outrank the 1-minute
 * rate and MB/s, so an 80-column terminal shows them. Columns are still drawn in COLUMNS order.
 */
const RING_CORE_COLUMNS = ['state', 'rate1s', 'spark', 'age', 'records', 'readers', 'lag', 'lost'];

export interface LayoutOptions {
  /** Some shown feed is a ring: give its readers' columns priority. */
  rings?: boolean;
}

function priorityOrder(rings: boolean): { order: readonly Column[]; lastCore: string } {
  if (!rings) return { order: COLUMNS, lastCore: LAST_CORE_COLUMN };
  const core = RING_CORE_COLUMNS.map((id) => COLUMNS.find((c) => c.id === id) as Column);
  return {
    order: [...core, ...COLUMNS.filter((c) => !RING_CORE_COLUMNS.includes(c.id))],
    lastCore: RING_CORE_COLUMNS[RING_CORE_COLUMNS.length - 1] as string,
  };
}

/**
 * Takes the core columns (state … records, plus the ring readers' columns when rings are shown) in
 * priority order while they fit beside a name column of NAME_MIN_WIDTH, then widens the name to
 * the longest name, then adds the other columns while they fit, and gives what is left to
 * growable columns (the sparkline). The chosen columns are drawn in COLUMNS order.
 */
export function layoutColumns(
  totalWidth: number,
  longestName: number,
  options: LayoutOptions = {},
): TableLayout {
  const { order, lastCore } = priorityOrder(options.rings === true);
  const columns: Column[] = [];
  let nameWidth = NAME_MIN_WIDTH;
  let used = MARKER_WIDTH + nameWidth;
  const wantedName = Math.max(NAME_MIN_WIDTH, Math.min(longestName, NAME_MAX_WIDTH));
  let core = true;
  for (const column of order) {
    if (!core && nameWidth < wantedName) {
      const grow = Math.min(wantedName - nameWidth, totalWidth - used);
      nameWidth += grow;
      used += grow;
    }
    if (used + 1 + column.width > totalWidth) break;
    columns.push({ ...column });
    used += 1 + column.width;
    if (column.id === lastCore) core = false;
  }
  columns.sort((a, b) => COLUMNS.findIndex((c) => c.id === a.id) - COLUMNS.findIndex((c) => c.id === b.id));
  let spare = totalWidth - used;
  const nameGrow = Math.min(spare, wantedName - nameWidth);
  nameWidth += nameGrow;
  spare -= nameGrow;
  for (const column of columns) {
    if (column.maxWidth == null || spare <= 0) continue;
    const grow = Math.min(spare, column.maxWidth - column.width);
    column.width += grow;
    spare -= grow;
  }
  return { nameWidth, columns };
}

export function renderCells(layout: TableLayout, values: (c: Column) => string, name: string): string {
  let line = fitCell(name, layout.nameWidth);
  for (const column of layout.columns) line += ' ' + fitCell(values(column), column.width, column.align);
  return line;
}

function lastBuckets(values: readonly (number | null)[], count: number): (number | null)[] {
  return values.slice(Math.max(0, values.length - count));
}

function pid(value: number | null): string {
  return value == null ? MISSING : String(value);
}

function ringFill(r: NonNullable<FeedView['feed']['ring']>): string {
  if (r.fillRecords == null || !r.capacity) return MISSING;
  return formatPercent(r.fillRecords / r.capacity);
}

function maxLag(r: NonNullable<FeedView['feed']['ring']>): string {
  let max: number | null = null;
  for (const reader of r.readers ?? [])
    if (reader.lagRecords != null) max = Math.max(max ?? 0, reader.lagRecords);
  return formatCount(max);
}
