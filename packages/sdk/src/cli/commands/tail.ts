import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { reportLostRecords } from '../lost-records.js';
import { withBase } from '../open-platform.js';
import { integerOption, withCommonOptions } from '../options.js';
import { parseRowFormat, type RowFormat } from '../output.js';
import type { CommandResult } from '../program.js';
import { labelsByField, RecordPrinter, SEQ_COLUMN } from '../record-printer.js';

interface TailOptions {
  basePath: string;
  lines: number;
  follow?: boolean;
  format: RowFormat;
  fromSeq?: number;
  withSeq?: boolean;
}

export const DEFAULT_TAIL_LINES = 10;

export function registerTail(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('tail')
    .argument('<feed>', 'feed name')
    .description('print the newest records; with --follow keep printing new ones until interrupted (Ctrl-C)')
    .option('-n, --lines <n>', 'how many of the newest records', integerOption('-n', 0), DEFAULT_TAIL_LINES)
    .option('-f, --follow', 'keep printing records as they are written')
    .option('--format <format>', 'table | csv | jsonl', parseRowFormat, 'table')
    .option(
      '--from-seq <n>',
      'start at the record with this seq instead of the newest -n',
      integerOption('--from-seq', 0),
    )
    .option('--with-seq', "add a leading $seq column (csv, table) or key (jsonl): each record's seq");
  withCommonOptions(command, false).action(async (feed: string, options: TailOptions) => {
    await withBase(options.basePath, (platform) => tail(io, platform, feed, options));
    result.exitCode = EXIT_OK;
  });
}

async function tail(io: CliIo, platform: Platform, feed: string, options: TailOptions): Promise<void> {
  const recordFormat = platform.getRecordFormat(feed);
  const unit = platform.describeFeed(feed).tsUnit;
  const reader = platform.createReader(feed, { int64: 'bigint' });
  const withSeq = options.withSeq === true;
  const printer = new RecordPrinter(
    options.format,
    withSeq ? [SEQ_COLUMN, ...reader.fieldNames] : reader.fieldNames,
    recordFormat.tsCol,
    (t) => io.stdout.write(t),
    unit,
    labelsByField(recordFormat.fields),
  );
  try {
    // Seqs make the snapshot and the live hand-off exact: the records before `end` are printed,
    // then (--follow) every record from `end` on, none missed or repeated.
    const end = reader.nextSeq();
    const from = options.fromSeq ?? Math.max(0, end - options.lines);
    const stream = reader.stream({ fromSeq: from, format: 'tuple' });
    const row = (record: unknown[]) => (withSeq ? [stream.lastSeq, ...record] : record);
    try {
      const shown: unknown[][] = [];
      while (stream.lastSeq < end - 1) {
        const record = stream.tryNext();
        if (record === undefined) break;
        shown.push(row(record));
      }
      printer.print(shown);
      reportLostRecords(io, 'tail', feed, reader.stats.lostRecords);
      if (!options.follow) {
        printer.end();
        return;
      }
      const lostBefore = reader.stats.lostRecords;
      let stopped = false;
      io.waitForInterrupt?.().then(() => {
        stopped = true;
        stream.close(); // wakes the pending next() with undefined
      });
      while (!stopped) {
        const record = await stream.next();
        if (record === undefined) break;
        printer.print([row(record)]);
      }
      // Records a ring's writer overwrote before this follower read them.
      reportLostRecords(io, 'tail --follow', feed, reader.stats.lostRecords - lostBefore);
    } finally {
      stream.close();
    }
  } finally {
    reader.close();
  }
}
