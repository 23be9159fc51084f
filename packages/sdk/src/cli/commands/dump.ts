import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.js';
import type { TimeUnit } from '../../reader/time-bound.js';
import { CliError } from '../cli-error.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { reportLostRecords } from '../lost-records.js';
import { withBase } from '../open-platform.js';
import { integerOption, withCommonOptions } from '../options.js';
import { parseRowFormat, type RowFormat } from '../output.js';
import type { CommandResult } from '../program.js';
import { createProgress } from '../progress.js';
import { labelsByField, RecordPrinter, SEQ_COLUMN } from '../record-printer.js';
import { parseTimestamp } from '../timestamps.js';

interface DumpOptions {
  basePath: string;
  from?: string;
  to?: string;
  limit?: number;
  format: RowFormat;
  fromSeq?: number;
  withSeq?: boolean;
}

/** Below this many records a progress bar would only flash. */
const PROGRESS_MIN_RECORDS = 100_000;

export function registerDump(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('dump')
    .argument('<feed>', 'feed name')
    .description('print the records with --from <= timestamp < --to')
    .option(
      '--from <time>',
      "first timestamp (inclusive): an integer in the feed's tsUnit (µs unless the feed says ns/ms/s), ISO-8601, or now-<N><s|m|h|d>",
    )
    .option('--to <time>', 'end timestamp (exclusive); default: just after the newest record')
    .option('--limit <n>', 'print at most n records', integerOption('--limit', 0))
    .option(
      '--from-seq <n>',
      'start at the record with this seq (instead of --from)',
      integerOption('--from-seq', 0),
    )
    .option('--with-seq', "add a leading $seq column (csv, table) or key (jsonl): each record's seq")
    .option(
      '--format <format>',
      'table (for people) | csv | jsonl (raw values, exact 64-bit integers)',
      parseRowFormat,
      'table',
    )
    .addHelpText(
      'after',
      "\nISO times without a zone are UTC. The table shows the timestamp column as ISO-8601; csv and jsonl keep the raw integer in the feed's tsUnit.",
    );
  withCommonOptions(command, false).action(async (feed: string, options: DumpOptions) => {
    const now = io.nowMicros();
    await withBase(options.basePath, (platform) => {
      const unit = platform.describeFeed(feed).tsUnit;
      const from = options.from === undefined ? undefined : parseTimestamp(options.from, now, '--from', unit);
      const to = options.to === undefined ? undefined : parseTimestamp(options.to, now, '--to', unit);
      if (options.from !== undefined && options.fromSeq !== undefined) {
        throw new CliError('--from and --from-seq name two different starts: give one');
      }
      if (from !== undefined && to !== undefined && BigInt(to) < BigInt(from)) {
        throw new CliError(`--to (${options.to}) is before --from (${options.from})`);
      }
      return dump(io, platform, feed, { ...options, from, to, unit });
    });
    result.exitCode = EXIT_OK;
  });
}

interface DumpRange {
  /** In the feed's unit, exact. */
  from?: number | bigint;
  to?: number | bigint;
  unit: TimeUnit;
  limit?: number;
  format: RowFormat;
  fromSeq?: number;
  withSeq?: boolean;
}

/** Output is flushed in pieces of about this many bytes, waiting for a slow pipe in between. */
const FLUSH_BYTES = 256 * 1024;
const PAGE_RECORDS = 4096;

async function dump(io: CliIo, platform: Platform, feed: string, options: DumpRange): Promise<void> {
  const status = platform.feedStatus(feed);
  const reader = platform.createReader(feed, { int64: 'bigint' });
  const progress = createProgress(io, { minTotal: PROGRESS_MIN_RECORDS });
  const output = new DrainingWriter(io, (t) => progress.writeAbove(t));
  try {
    const recordFormat = platform.getRecordFormat(feed);
    const tsCol = recordFormat.tsCol;
    const tsIndex = reader.fieldNames.indexOf(tsCol);
    const withSeq = options.withSeq === true;
    const printer = new RecordPrinter(
      options.format,
      withSeq ? [SEQ_COLUMN, ...reader.fieldNames] : reader.fieldNames,
      tsCol,
      (t) => output.write(t),
      options.unit,
      labelsByField(recordFormat.fields),
    );
    // Without --to a dump is a snapshot: it ends at the newest record when the dump began (read
    // exactly, as a bigint: a feed's timestamps may be beyond 2^53, e.g. ns since the epoch).
    const newest = options.to === undefined ? reader.latest(0, { format: 'tuple' }).at(-1) : undefined;
    const to =
      options.to === undefined
        ? newest === undefined
          ? undefined
          : (newest[tsIndex] as bigint) + 1n
        : BigInt(options.to);
    if (to !== undefined) {
      const from = options.from ?? Number.NEGATIVE_INFINITY;
      // Only sizes the progress bar: the registry's rounded timestamps are close enough.
      const expected = status.chunks
        .filter(
          (c) =>
            c.lastTs !== null && c.firstTs !== null && c.lastTs >= Number(from) && c.firstTs < Number(to),
        )
        .reduce((n, c) => n + c.records, 0);
      progress.start(Math.min(expected, options.limit ?? expected), `dump ${feed}`);
      // A replaying stream walks the feed record by record in bounded memory, announces its position
      // (so cleanup keeps the chunks it is in), and tryNext() stops at the live head instead of waiting.
      const stream =
        options.fromSeq === undefined
          ? reader.stream({ start: from, format: 'tuple' })
          : reader.stream({ fromSeq: options.fromSeq, format: 'tuple' });
      // A snapshot in seqs too: records written while the dump runs are not part of it.
      const endSeq = reader.nextSeq();
      try {
        const page: unknown[][] = [];
        const printPage = async () => {
          printer.print(page);
          progress.increment(page.length);
          page.length = 0;
          await output.drained();
        };
        let left = options.limit ?? Number.POSITIVE_INFINITY;
        while (left > 0) {
          const record = stream.tryNext();
          if (record === undefined || (record[tsIndex] as bigint) >= to || stream.lastSeq >= endSeq) break;
          page.push(withSeq ? [stream.lastSeq, ...record] : record);
          left--;
          if (page.length === PAGE_RECORDS) await printPage();
        }
        await printPage();
      } finally {
        stream.close();
      }
    }
    printer.end();
    await output.flush();
    reportLostRecords(io, 'dump', feed, reader.stats.lostRecords);
  } finally {
    progress.stop();
    reader.close();
  }
}

/** Buffers output into large writes and waits for 'drain' when a pipe reader is slower than us. */
class DrainingWriter {
  #pending = '';
  constructor(
    readonly io: CliIo,
    readonly sink: (text: string) => void,
  ) {}

  write(text: string): void {
    this.#pending += text;
  }

  async drained(): Promise<void> {
    if (this.#pending.length >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    this.sink(this.#pending);
    this.#pending = '';
    const stream = this.io.stdout as Partial<NodeJS.WriteStream>;
    if (stream.writableNeedDrain && stream.once) {
      await new Promise<void>((resolve) => stream.once?.('drain', () => resolve()));
    }
  }
}
