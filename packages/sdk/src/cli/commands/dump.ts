import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.js';
import type { Reader } from '../../reader/reader.js';
import { CliError } from '../cli-error.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { withBase } from '../open-platform.js';
import { integerOption, withCommonOptions } from '../options.js';
import { parseRowFormat, type RowFormat } from '../output.js';
import type { CommandResult } from '../program.js';
import { createProgress, type Progress } from '../progress.js';
import { RecordPrinter } from '../record-printer.js';
import { parseTimestamp } from '../timestamps.js';

interface DumpOptions {
  basePath: string;
  from?: string;
  to?: string;
  limit?: number;
  format: RowFormat;
}

/** Below this many records a progress bar would only flash. */
const PROGRESS_MIN_RECORDS = 100_000;

export function registerDump(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('dump')
    .argument('<feed>', 'feed name')
    .description('print the records with --from <= timestamp < --to')
    .option('--from <time>', 'first timestamp (inclusive): µs since the epoch, ISO-8601, or now-<N><s|m|h|d>')
    .option('--to <time>', 'end timestamp (exclusive); default: just after the newest record')
    .option('--limit <n>', 'print at most n records', integerOption('--limit', 0))
    .option(
      '--format <format>',
      'table (for people) | csv | jsonl (raw values, exact 64-bit integers)',
      parseRowFormat,
      'table',
    )
    .addHelpText(
      'after',
      '\nISO times without a zone are UTC. The table shows the timestamp column as ISO-8601; csv and jsonl keep µs.',
    );
  withCommonOptions(command, false).action(async (feed: string, options: DumpOptions) => {
    const now = io.nowMicros();
    const from = options.from === undefined ? undefined : parseTimestamp(options.from, now, '--from');
    const to = options.to === undefined ? undefined : parseTimestamp(options.to, now, '--to');
    if (from !== undefined && to !== undefined && to < from) {
      throw new CliError(`--to (${options.to}) is before --from (${options.from})`);
    }
    await withBase(options.basePath, (platform) => dump(io, platform, feed, { ...options, from, to }));
    result.exitCode = EXIT_OK;
  });
}

interface DumpRange {
  from?: number;
  to?: number;
  limit?: number;
  format: RowFormat;
}

function dump(io: CliIo, platform: Platform, feed: string, options: DumpRange): void {
  const status = platform.feedStatus(feed);
  const reader = platform.createReader(feed, { int64: 'bigint' });
  const progress = createProgress(io, { minTotal: PROGRESS_MIN_RECORDS });
  try {
    const printer = new RecordPrinter(
      options.format,
      reader.fieldNames,
      platform.getRecordFormat(feed).tsCol,
      (t) => progress.writeAbove(t),
    );
    if (status.records === 0 && status.persist) {
      printer.end();
      return;
    }
    const from = options.from ?? status.firstTs ?? Number.MIN_SAFE_INTEGER;
    // Without --to, a dump is a snapshot: it ends at the newest record when the dump began.
    const to = options.to ?? (status.lastTs === null ? Number.MAX_SAFE_INTEGER : status.lastTs + 1);
    const windows = timeWindows(
      from,
      to,
      status.chunks.map((c) => c.firstTs),
    );
    const expected = status.chunks
      .filter((c) => c.lastTs !== null && c.firstTs !== null && c.lastTs >= from && c.firstTs < to)
      .reduce((n, c) => n + c.records, 0);
    progress.start(Math.min(expected, options.limit ?? expected), `dump ${feed}`);
    printWindows(reader, printer, progress, windows, options.limit ?? Number.POSITIVE_INFINITY);
    printer.end();
  } finally {
    progress.stop();
    reader.close();
  }
}

/**
 * Splits [from, to) at the chunks' first timestamps, so each range() call materialises about one
 * chunk: a dump of any size runs in bounded memory. Boundaries are distinct timestamps, so records
 * sharing a timestamp across a chunk boundary land in exactly one window.
 */
export function timeWindows(
  from: number,
  to: number,
  chunkStarts: readonly (number | null)[],
): [number, number][] {
  const cuts = [...new Set(chunkStarts.filter((t): t is number => t !== null && t > from && t < to))].sort(
    (a, b) => a - b,
  );
  const bounds = [from, ...cuts, to];
  const windows: [number, number][] = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    if (bounds[i] < bounds[i + 1]) windows.push([bounds[i], bounds[i + 1]]);
  return windows;
}

function printWindows(
  reader: Reader,
  printer: RecordPrinter,
  progress: Progress,
  windows: [number, number][],
  limit: number,
): void {
  let left = limit;
  for (const [start, end] of windows) {
    if (left <= 0) break;
    let records = reader.range(start, end, { format: 'tuple' });
    if (records.length > left) records = records.slice(0, left);
    printer.print(records);
    progress.increment(records.length);
    left -= records.length;
  }
}
