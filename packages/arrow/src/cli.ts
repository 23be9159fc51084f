import { resolve } from 'node:path';
import { parseTime, type TimeUnit } from '@deepwater/sdk';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { openBase } from './base.js';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  exportFeed,
  PARQUET_COMPRESSIONS,
  type ParquetCompression,
} from './export.js';
import { type ImportFormat, importFile } from './import.js';
import { PACKAGE_VERSION } from './version.js';

export interface ArrowCliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

const EXIT_OK = 0;
const EXIT_ERROR = 2;

function positiveInteger(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new InvalidArgumentError(`${name} must be an integer >= 1`);
    return value;
  };
}

function choice<T extends string>(name: string, values: readonly T[]) {
  return (text: string): T => {
    if (!values.includes(text as T))
      throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}`);
    return text as T;
  };
}

/**
 * A time bound read exactly as `deepwater dump` reads it (the sdk's parseTime: an integer in the
 * feed's unit, ISO 8601 in UTC unless zoned, or now-<N><s|m|h|d>), undefined when not given.
 */
function timeBound(text: string | undefined, unit: TimeUnit, name: string): bigint | undefined {
  return text === undefined ? undefined : BigInt(parseTime(text, { unit, name }));
}

/**
 * A progress bar on a terminal (stderr), nothing otherwise: the share of the time span done
 * (in thousandths, shown as a percentage) and the records written so far.
 */
function progress(io: ArrowCliIo, total: number, label: string) {
  if (!io.stderr.isTTY || total <= 0) return { update: (_: number, __: number) => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {records} records`,
    stream: io.stderr as NodeJS.WritableStream,
    hideCursor: true,
  });
  bar.start(total, 0, { records: 0 });
  return { update: (n: number, records: number) => bar.update(n, { records }), stop: () => bar.stop() };
}

interface ExportCliOptions {
  format: ExportFormat;
  out: string;
  from?: string;
  to?: string;
  basePath: string;
  compression: ParquetCompression;
  rowGroupSize?: number;
  batchSize?: number;
}

interface ImportCliOptions {
  feed: string;
  create?: boolean;
  format?: ImportFormat;
  basePath: string;
  batchSize?: number;
}

/** `deepwater-arrow export|import …`; resolves to the exit code (never calls process.exit). */
export async function runArrowCli(argv: readonly string[], io: ArrowCliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('deepwater-arrow')
    .description('Deepwater feeds to and from Parquet, Arrow IPC and CSV files.')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) })
    .showHelpAfterError('(run with --help for usage)');
  program
    .command('export')
    .description("a feed's records in [from, to) to a file, streamed in batches (bounded memory)")
    .argument('<feed>', 'the feed to export')
    .requiredOption('--format <format>', EXPORT_FORMATS.join(' | '), choice('--format', EXPORT_FORMATS))
    .requiredOption('--out <file>', 'the file to write (replaced)')
    .option(
      '--from <t>',
      'first timestamp: integer in the feed unit, ISO 8601 (UTC unless zoned) or now-<N><s|m|h|d>',
    )
    .option('--to <t>', 'end timestamp, exclusive')
    .option(
      '--compression <c>',
      `parquet: ${PARQUET_COMPRESSIONS.join(' | ')}`,
      choice('--compression', PARQUET_COMPRESSIONS),
      'zstd',
    )
    .option(
      '--row-group-size <n>',
      'parquet: rows per row group (default 1048576)',
      positiveInteger('--row-group-size'),
    )
    .option('--batch-size <n>', 'records per batch (default 65536)', positiveInteger('--batch-size'))
    .option('-b, --base-path <path>', 'the Deepwater base directory', './data')
    .action(async (feed: string, options: ExportCliOptions) => {
      const platform = openBase(resolve(options.basePath));
      try {
        const info = platform.describeFeed(feed);
        const from = timeBound(options.from, info.tsUnit, '--from');
        const to = timeBound(options.to, info.tsUnit, '--to');
        // Progress by time: the share of [first, last] covered so far.
        const reader = platform.createReader(feed, { int64: 'bigint' });
        const oldest = reader
          .rangeBatches(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { batchSize: 1, int64: 'bigint' })
          .next();
        const first = oldest.done ? undefined : (oldest.value[0] as unknown[] | undefined);
        const newest = reader.asOf(Number.POSITIVE_INFINITY) as unknown[] | undefined;
        reader.close();
        const tsIndex = info.fields.findIndex((f) => f.name === info.tsCol);
        const startTs = from ?? (first === undefined ? 0n : (first[tsIndex] as bigint));
        const endTs = to ?? (newest === undefined ? 0n : (newest[tsIndex] as bigint));
        const span = Number(endTs - startTs);
        const bar = progress(io, span > 0 ? 1000 : 0, `export ${feed}`);
        const started = performance.now();
        // The bar is stopped whatever happens: it hides the terminal's cursor until then.
        const result = await exportFeed({
          base: platform,
          feed,
          format: options.format,
          out: resolve(options.out),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          compression: options.compression,
          ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
          onProgress: (records, lastTs) => {
            if (lastTs !== undefined && span > 0)
              bar.update(Math.min(1000, Math.round((Number(lastTs - startTs) / span) * 1000)), records);
          },
        }).finally(() => bar.stop());
        const seconds = (performance.now() - started) / 1000;
        io.stdout.write(
          `exported ${result.records} records of "${feed}" to ${result.out} (${result.bytes} bytes, ${options.format}) in ${seconds.toFixed(2)} s\n`,
        );
      } finally {
        platform.close();
      }
    });
  program
    .command('import')
    .description('a Parquet, Arrow IPC or CSV file into a feed (checked whole, then written columnar)')
    .argument('<file>', 'the file to read')
    .requiredOption('--feed <name>', 'the feed to append to')
    .option('--create', "create the feed (and the base) from the file's schema when it does not exist")
    .option(
      '--format <format>',
      'parquet | arrow | csv (default: from the file)',
      choice('--format', ['parquet', 'arrow', 'csv'] as const),
    )
    .option('--batch-size <n>', 'records per batch (default 65536)', positiveInteger('--batch-size'))
    .option('-b, --base-path <path>', 'the Deepwater base directory', './data')
    .action(async (file: string, options: ImportCliOptions) => {
      const started = performance.now();
      const result = await importFile({
        base: resolve(options.basePath),
        file: resolve(file),
        feed: options.feed,
        create: options.create === true,
        ...(options.format === undefined ? {} : { format: options.format }),
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      });
      const seconds = (performance.now() - started) / 1000;
      io.stdout.write(
        `imported ${result.records} records into "${result.feed}"${result.created ? ' (created)' : ''} in ${seconds.toFixed(2)} s\n`,
      );
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version'].includes(error.code)) return EXIT_OK;
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
      return EXIT_ERROR;
    }
    const code = (error as { code?: unknown })?.code;
    io.stderr.write(
      `deepwater-arrow: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}\n`,
    );
    exitCode = EXIT_ERROR;
  }
  return exitCode;
}
