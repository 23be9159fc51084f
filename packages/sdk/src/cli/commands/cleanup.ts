import type { Command } from 'commander';
import { type CronChange, installCron, systemCrontab, uninstallCron } from '../../ops/cron.js';
import { type CleanupReport, runCleanup } from '../../ops/retention.js';
import { withBaseLogger } from '../base-logger.js';
import { CliError } from '../cli-error.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { assertExistingBase } from '../open-platform.js';
import { type CommonOptions, integerOption, withCommonOptions } from '../options.js';
import { formatBytes, writeJson } from '../output.js';
import type { CommandResult } from '../program.js';
import { createProgress } from '../progress.js';
import { formatTimestamp } from '../timestamps.js';

interface CleanupCliOptions extends CommonOptions {
  dryRun?: boolean;
  installCron?: boolean;
  uninstallCron?: boolean;
  interval: number;
  crontabCommand?: string;
}

export const DEFAULT_CRON_INTERVAL_MINUTES = 15;

export function registerCleanup(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('cleanup')
    .description(
      "delete chunks older than each feed's retention (never the active chunk or one a live reader is in)",
    )
    .option('--dry-run', 'print what would be deleted and change nothing')
    .option(
      '--install-cron',
      'add (or update) a crontab entry that runs cleanup for this base every --interval minutes',
    )
    .option('--uninstall-cron', "remove this base's cleanup crontab entry")
    .option(
      '--interval <minutes>',
      'with --install-cron',
      integerOption('--interval', 1),
      DEFAULT_CRON_INTERVAL_MINUTES,
    )
    .option(
      '--crontab-command <path>',
      'the crontab program to use (default: $DEEPWATER_CRONTAB_CMD or crontab)',
    )
    .addHelpText(
      'after',
      '\nA chunk is expired when its newest record is older than now - retentionHours (0 = keep forever).' +
        '\nDeletions are logged to <base>/deepwater.log.\n' +
        '\nExit codes:\n  0  done (or nothing to do)\n  2  error: bad arguments, missing base path, crontab failure',
    );
  withCommonOptions(command).action(async (options: CleanupCliOptions) => {
    result.exitCode = await runCleanupCommand(io, options);
  });
}

async function runCleanupCommand(io: CliIo, options: CleanupCliOptions): Promise<number> {
  if (options.installCron && options.uninstallCron) {
    throw new CliError('--install-cron and --uninstall-cron cannot be used together');
  }
  if (options.installCron || options.uninstallCron) {
    const store = systemCrontab(options.crontabCommand ?? io.env.DEEPWATER_CRONTAB_CMD ?? 'crontab', io.env);
    const change = options.installCron
      ? installCron(store, { basePath: options.basePath, intervalMinutes: options.interval })
      : uninstallCron(store, { basePath: options.basePath });
    printCronChange(io, options, change);
    return EXIT_OK;
  }
  const basePath = assertExistingBase(options.basePath);
  const progress = createProgress(io, { quiet: options.json });
  const run = (logger?: Parameters<Parameters<typeof withBaseLogger>[2]>[0]) =>
    runCleanup(basePath, {
      dryRun: options.dryRun,
      nowUs: io.nowMicros(),
      ...(logger ? { logger } : {}),
      onStart: (total) => progress.start(total, 'cleanup'),
      onChunk: () => progress.increment(),
    });
  let report: CleanupReport;
  try {
    report = options.dryRun ? run() : await withBaseLogger(basePath, 'cleanup', run);
  } finally {
    progress.stop();
  }
  if (options.json) writeJson(io.stdout, report);
  else printCleanup(io, report);
  return EXIT_OK;
}

function printCronChange(io: CliIo, options: CleanupCliOptions, change: CronChange): void {
  if (options.json) {
    writeJson(io.stdout, change);
    return;
  }
  const lines: Record<CronChange['action'], string> = {
    installed: `installed crontab entry:\n  + ${change.entry}`,
    updated: `updated crontab entry:\n  - ${change.previous}\n  + ${change.entry}`,
    unchanged: `crontab entry already installed, unchanged:\n    ${change.entry}`,
    removed: `removed crontab entry:\n  - ${change.previous}`,
    absent: 'no cleanup crontab entry for this base; nothing changed',
  };
  io.stdout.write(`${lines[change.action]}\n`);
}

function printCleanup(io: CliIo, report: CleanupReport): void {
  const verb = report.dryRun ? 'would delete' : 'deleted';
  for (const feed of report.feeds) {
    const retention =
      feed.retentionHours === 0 ? 'kept forever (retentionHours 0)' : `retention ${feed.retentionHours}h`;
    const cutoff = feed.cutoffUs === null ? '' : `, cutoff ${formatTimestamp(feed.cutoffUs)}`;
    io.stdout.write(`${feed.feed}: ${retention}${cutoff}, ${feed.chunks} chunk(s)\n`);
    for (const d of feed.decisions) {
      const what = `chunk ${d.chunkId} (newest record ${formatTimestamp(d.lastTs, feed.tsUnit)}, ${d.records} records, ${formatBytes(d.bytes)})`;
      if (d.action === 'kept') io.stdout.write(`  kept          ${what}: expired, but ${d.note}\n`);
      else io.stdout.write(`  ${verb.padEnd(12)}  ${what}\n`);
    }
  }
  const summary =
    report.deletedChunks === 0
      ? 'nothing expired'
      : `${verb} ${report.deletedChunks} chunk(s), ${formatBytes(report.bytesFreed)}`;
  io.stdout.write(
    `${report.dryRun ? 'dry run: ' : ''}${summary}${report.dryRun ? '; nothing changed' : ''}\n`,
  );
}
