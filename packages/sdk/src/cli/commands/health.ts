import type { Command } from 'commander';
import {
  BaseUnavailableError,
  checkHealth,
  DEFAULT_MAX_AGE_SECONDS,
  DEFAULT_MIN_FREE_GB,
} from '../../ops/health.js';
import { EXIT_CODES_HELP, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { type CommonOptions, numberOption, withCommonOptions } from '../options.js';
import { writeJson } from '../output.js';
import type { CommandResult } from '../program.js';

interface HealthCliOptions extends CommonOptions {
  checkFeeds?: boolean;
  maxAgeSeconds: number;
  minFreeGb: number;
}

export function registerHealth(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('health')
    .description(
      "check a base: manifest, registries, (with --check-feeds) each feed's files and recent writes, disk space",
    )
    .option(
      '--check-feeds',
      "check every feed's registry against its chunk files, and its recent write activity",
    )
    .option(
      '--max-age-seconds <s>',
      'with --check-feeds: a feed whose newest write is older than this is unhealthy',
      numberOption('--max-age-seconds', 0),
      DEFAULT_MAX_AGE_SECONDS,
    )
    .option(
      '--min-free-gb <g>',
      'unhealthy when less than this many GiB are free on the base filesystem',
      numberOption('--min-free-gb', 0),
      DEFAULT_MIN_FREE_GB,
    )
    .addHelpText(
      'after',
      `\nHealth never creates or changes anything in the base.${EXIT_CODES_HELP.replace(
        '0  success (health: every check passed)',
        '0  healthy: every check passed',
      )}`,
    );
  withCommonOptions(command).action((options: HealthCliOptions) => {
    result.exitCode = runHealth(io, options);
  });
}

function runHealth(io: CliIo, options: HealthCliOptions): number {
  let report: ReturnType<typeof checkHealth>;
  try {
    report = checkHealth(options.basePath, {
      checkFeeds: options.checkFeeds,
      maxAgeSeconds: options.maxAgeSeconds,
      minFreeGb: options.minFreeGb,
      nowUs: io.nowMicros(),
    });
  } catch (error) {
    if (!(error instanceof BaseUnavailableError)) throw error;
    if (options.json)
      writeJson(io.stdout, { healthy: false, error: error.message, basePath: options.basePath });
    else io.stderr.write(`deepwater health: ${error.message}\n`);
    return EXIT_ERROR;
  }
  if (options.json) {
    writeJson(io.stdout, report);
  } else {
    io.stdout.write(`${report.healthy ? 'HEALTHY' : 'UNHEALTHY'}  ${report.basePath}\n`);
    const names = report.checks.map((c) => (c.feed ? `${c.check} ${c.feed}` : c.check));
    const width = Math.max(...names.map((n) => n.length));
    report.checks.forEach((check, i) => {
      io.stdout.write(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${names[i].padEnd(width)}  ${check.reason}\n`);
    });
  }
  return report.healthy ? EXIT_OK : EXIT_PROBLEMS;
}
