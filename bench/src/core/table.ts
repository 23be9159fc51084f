import { formatBytesRate, formatNanos, formatRate, formatRatio } from './format.js';
import type { ResultRow } from './result.js';
import { headlineSpread, percentileAcrossReps } from './spread-of-row.js';

type Cell = string;

const LATENCY_HEADERS = ['p50', 'p90', 'p99', 'p99.9', 'max', 'p50 min/med/max', '÷raw', 'Redis÷'];
const COST_HEADERS = ['ns/rec p50', 'p99', 'rate', 'p50 min/med/max', 'Redis÷'];
const RATE_HEADERS = ['rate', 'GB/s', 'rate min/med/max', 'Redis÷'];

/**
 * Renders rows grouped by section as aligned plain-text tables. Each section takes its columns
 * from its rows' kind: latencies show percentiles, costs ns per record, rates records per second.
 * Figures are medians across repetitions; max is the worst over all repetitions.
 */
export function renderTable(rows: readonly ResultRow[]): string {
  const sections = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const list = sections.get(row.section) ?? [];
    list.push(row);
    sections.set(row.section, list);
  }
  const out: string[] = [];
  for (const [section, sectionRows] of sections) {
    out.push(`== ${section} ==`);
    // A section may mix kinds (the bridge has rates and latencies): each run of rows of one kind
    // gets its own header, so no figure sits under another kind's column.
    for (const group of groupsOfOneKind(sectionRows)) {
      const body: Cell[][] = [];
      const notes: string[] = [];
      for (const row of group.rows) {
        if (!row.metric) {
          body.push([row.label, `unavailable: ${row.unavailable ?? 'not measured'}`]);
          continue;
        }
        body.push([row.label, ...cellsOf(row)]);
        if (row.note) notes.push(`  ${row.label}: ${row.note}`);
      }
      out.push(...align(['', ...headersOf(group.kind)], body), ...notes);
    }
    out.push('');
  }
  return out.join('\n');
}

type RowKind = 'latency' | 'cost' | 'rate' | undefined;

function headersOf(kind: RowKind): string[] {
  if (kind === 'latency') return LATENCY_HEADERS;
  if (kind === 'cost') return COST_HEADERS;
  if (kind === 'rate') return RATE_HEADERS;
  return [];
}

/** Consecutive rows of one kind; an unavailable row joins the group it sits in. */
function groupsOfOneKind(rows: readonly ResultRow[]): { kind: RowKind; rows: ResultRow[] }[] {
  const groups: { kind: RowKind; rows: ResultRow[] }[] = [];
  for (const row of rows) {
    const kind = row.metric?.kind;
    const last = groups.at(-1);
    if (last && (kind === undefined || last.kind === undefined || last.kind === kind)) {
      last.rows.push(row);
      last.kind ??= kind;
    } else {
      groups.push({ kind, rows: [row] });
    }
  }
  return groups;
}

function cellsOf(row: ResultRow): Cell[] {
  const metric = row.metric!;
  const spread = headlineSpread(row);
  const redis = formatRatio(row.ratios?.redisOverThis);
  if (metric.kind === 'rate') {
    const bytes = metric.bytesPerRecord ? formatBytesRate(spread.median * metric.bytesPerRecord) : '';
    return [formatRate(spread.median), bytes, spreadText(spread, formatRate), redis];
  }
  const reps = metric.reps;
  if (metric.kind === 'cost') {
    const rate = [...metric.ratesPerSecond].sort((a, b) => a - b)[metric.ratesPerSecond.length >> 1];
    return [
      formatNanos(percentileAcrossReps(reps, 'p50')),
      formatNanos(percentileAcrossReps(reps, 'p99')),
      formatRate(rate),
      spreadText(spread, formatNanos),
      redis,
    ];
  }
  return [
    formatNanos(percentileAcrossReps(reps, 'p50')),
    formatNanos(percentileAcrossReps(reps, 'p90')),
    formatNanos(percentileAcrossReps(reps, 'p99')),
    formatNanos(percentileAcrossReps(reps, 'p999')),
    formatNanos(percentileAcrossReps(reps, 'max')),
    spreadText(spread, formatNanos),
    formatRatio(row.ratios?.vsRaw),
    redis,
  ];
}

function spreadText(
  spread: { min: number; median: number; max: number; n: number },
  unit: (v: number) => string,
) {
  if (spread.n <= 1) return `(1 run)`;
  return `${unit(spread.min)} / ${unit(spread.median)} / ${unit(spread.max)} (${spread.n})`;
}

/** Left-aligns the label column, right-aligns figures; a lone message cell spans the row. */
function align(header: Cell[], body: Cell[][]): string[] {
  const widths = header.map((h) => h.length);
  for (const cells of body) {
    if (cells.length === 2 && header.length > 2) {
      widths[0] = Math.max(widths[0], cells[0].length);
      continue;
    }
    cells.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (cells: Cell[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    ...body.map((cells) => (cells.length === 2 ? `${cells[0].padEnd(widths[0])}  ${cells[1]}` : line(cells))),
  ];
}
