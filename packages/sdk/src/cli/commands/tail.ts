import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { withBase } from '../open-platform.js';
import { integerOption, withCommonOptions } from '../options.js';
import { parseRowFormat, type RowFormat } from '../output.js';
import type { CommandResult } from '../program.js';
import { labelsByField, RecordPrinter } from '../record-printer.js';

interface TailOptions {
  basePath: string;
  lines: number;
  follow?: boolean;
  format: RowFormat;
}

export const DEFAULT_TAIL_LINES = 10;

export function registerTail(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('tail')
    .argument('<feed>', 'feed name')
    .description('print the newest records; with --follow keep printing new ones until interrupted (Ctrl-C)')
    .option('-n, --lines <n>', 'how many of the newest records', integerOption('-n', 0), DEFAULT_TAIL_LINES)
    .option('-f, --follow', 'keep printing records as they are written')
    .option('--format <format>', 'table | csv | jsonl', parseRowFormat, 'table');
  withCommonOptions(command, false).action(async (feed: string, options: TailOptions) => {
    await withBase(options.basePath, (platform) => tail(io, platform, feed, options));
    result.exitCode = EXIT_OK;
  });
}

async function tail(io: CliIo, platform: Platform, feed: string, options: TailOptions): Promise<void> {
  const status = platform.feedStatus(feed);
  const recordFormat = platform.getRecordFormat(feed);
  const tsCol = recordFormat.tsCol;
  const unit = platform.describeFeed(feed).tsUnit;
  const reader = platform.createReader(feed, { int64: 'bigint' });
  const printer = new RecordPrinter(
    options.format,
    reader.fieldNames,
    tsCol,
    (t) => io.stdout.write(t),
    unit,
    labelsByField(recordFormat.fields),
  );
  const tsIndex = reader.fieldNames.indexOf(tsCol);
  try {
    // Read only the newest chunks that together hold n records.
    let startTs: number | bigint = Number.NEGATIVE_INFINITY;
    let held = 0;
    for (let i = status.chunks.length - 1; i >= 0 && held < options.lines; i--) {
      held += status.chunks[i].records;
      const first = status.chunks[i].firstTs;
      if (first !== null) startTs = atOrBelow(first);
    }
    const recent =
      options.lines === 0 ? [] : reader.range(startTs, Number.POSITIVE_INFINITY, { format: 'tuple' });
    const shown = recent.slice(Math.max(0, recent.length - options.lines));
    if (!options.follow) {
      printer.print(shown);
      printer.end();
      return;
    }
    await follow(io, reader, printer, recent, shown, tsIndex);
  } finally {
    reader.close();
  }
}

/**
 * An exact timestamp at or below the one a registry's rounded f64 stands for: beyond 2^53 a double
 * is within half a unit in the last place (2^-53 relative) of the exact value.
 */
function atOrBelow(rounded: number): number | bigint {
  if (Number.isSafeInteger(rounded)) return rounded;
  return BigInt(rounded) - BigInt(Math.ceil(Math.abs(rounded) / 2 ** 52));
}

/**
 * Streams from the first shown record's timestamp, skipping the records with that same timestamp
 * that came before it: the stream then yields exactly the shown records followed by every new one,
 * with none missed or repeated between the snapshot and the live hand-off.
 */
async function follow(
  io: CliIo,
  reader: ReturnType<Platform['createReader']>,
  printer: RecordPrinter,
  recent: unknown[][],
  shown: unknown[][],
  tsIndex: number,
): Promise<void> {
  let skip = 0;
  let start: number | bigint | undefined;
  if (shown.length > 0) {
    start = shown[0][tsIndex] as number | bigint;
    for (let i = 0; i < recent.length - shown.length; i++) if (recent[i][tsIndex] === start) skip++;
  }
  const stream =
    start === undefined ? reader.stream({ format: 'tuple' }) : reader.stream({ start, format: 'tuple' });
  let stopped = false;
  io.waitForInterrupt?.().then(() => {
    stopped = true;
    stream.close(); // wakes the pending next() with undefined
  });
  while (!stopped) {
    const record = await stream.next();
    if (record === undefined) break;
    if (skip > 0) {
      skip--;
      continue;
    }
    printer.print([record]);
  }
  stream.close();
}
