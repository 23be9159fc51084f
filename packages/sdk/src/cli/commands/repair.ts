import type { Command } from 'commander';
import { type RepairReport, runRepair } from '../../ops/repair.js';
import { withBaseLogger } from '../base-logger.js';
import { CliError } from '../cli-error.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { assertExistingBase } from '../open-platform.js';
import { type CommonOptions, withCommonOptions } from '../options.js';
import { writeJson } from '../output.js';
import type { CommandResult } from '../program.js';
import { createProgress } from '../progress.js';

interface RepairCliOptions extends CommonOptions {
  all?: boolean;
  feed?: string[];
  dryRun?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRepair(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('repair')
    .description(
      'scan feed registries and chunk files; fix what is inconsistent without losing a published record',
    )
    .option('--all', 'every feed in the base')
    .option('--feed <name>', 'one feed (repeatable)', collect)
    .option('--dry-run', 'report problems and change nothing')
    .addHelpText(
      'after',
      '\nChecks: record counts vs. the data, first/last timestamps rebuilt from the records, timestamp order,' +
        '\ntorn tails after a crash, truncated or missing chunk files, orphan files, registry entries beyond the data.' +
        '\nA feed whose writer is running is reported, not changed. Fixes are logged to <base>/deepwater.log.\n' +
        '\nExit codes:\n  0  no problems (or every problem fixed)\n  1  problems found (--dry-run) or left unfixed\n' +
        '  2  error: bad arguments, missing base path, unknown feed',
    );
  withCommonOptions(command).action(async (options: RepairCliOptions) => {
    result.exitCode = await runRepairCommand(io, options);
  });
}

async function runRepairCommand(io: CliIo, options: RepairCliOptions): Promise<number> {
  if (!options.all && !options.feed) throw new CliError('repair needs --all or --feed NAME');
  if (options.all && options.feed) throw new CliError('use either --all or --feed, not both');
  const basePath = assertExistingBase(options.basePath);
  const progress = createProgress(io, { quiet: options.json });
  const run = (logger?: Parameters<Parameters<typeof withBaseLogger>[2]>[0]) =>
    runRepair(basePath, {
      ...(options.feed ? { feeds: options.feed } : {}),
      dryRun: options.dryRun,
      ...(logger ? { logger } : {}),
      onStart: (total) => progress.start(total, 'repair'),
      onChunk: () => progress.increment(),
    });
  let report: RepairReport;
  try {
    report = options.dryRun ? run() : await withBaseLogger(basePath, 'repair', run);
  } finally {
    progress.stop();
  }
  if (options.json) writeJson(io.stdout, report);
  else printRepair(io, report);
  return report.remaining === 0 ? EXIT_OK : EXIT_PROBLEMS;
}

function printRepair(io: CliIo, report: RepairReport): void {
  for (const p of report.base) {
    io.stdout.write(
      `base: ${p.fixed ? 'fixed' : report.dryRun ? 'found' : 'left '} ${p.kind}: ${p.message}\n`,
    );
    if (p.fix) io.stdout.write(`            ${p.fixed ? 'did' : 'would'}: ${p.fix}\n`);
  }
  for (const feed of report.feeds) {
    const fixed = feed.problems.filter((p) => p.fixed).length;
    const header =
      feed.problems.length === 0
        ? 'consistent'
        : `${feed.problems.length} problem(s)${report.dryRun ? '' : `, ${fixed} fixed`}`;
    io.stdout.write(
      `${feed.feed}: ${header} (${feed.chunksScanned} chunk(s), ${feed.recordsScanned} published records checked)\n`,
    );
    if (feed.notFixedBecause) io.stdout.write(`  not changed: ${feed.notFixedBecause}\n`);
    for (const path of feed.quarantined)
      io.stdout.write(`  quarantined: ${path} (rename it back to restore, then run repair)\n`);
    for (const p of feed.problems) {
      const status = p.fixed ? 'fixed' : report.dryRun && p.fix ? 'found' : p.fix ? 'left ' : 'UNFIXABLE';
      io.stdout.write(`  ${status.padEnd(9)} ${p.kind}: ${p.message}\n`);
      if (p.fix) io.stdout.write(`            ${p.fixed ? 'did' : 'would'}: ${p.fix}\n`);
    }
  }
  const tail = report.dryRun
    ? `dry run: ${report.problems} problem(s) found; nothing changed`
    : `${report.problems} problem(s) found, ${report.fixed} fixed, ${report.remaining} left`;
  io.stdout.write(`${tail}\n`);
}
