import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { loadDashboard } from '../load-dashboard.js';
import { type CommonOptions, numberOption, withCommonOptions } from '../options.js';
import type { CommandResult } from '../program.js';

interface DashboardOptions extends CommonOptions {
  refreshHz: number;
}

export function registerDashboard(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('dashboard')
    .description('live terminal dashboard of the base (needs @deepwater/tui installed); q quits');
  withCommonOptions(command, false)
    .option(
      '--refresh-hz <n>',
      'samples and redraws per second, 0.5-30',
      numberOption('--refresh-hz', 0.5),
      2,
    )
    .action(async (options: DashboardOptions) => {
      const basePath = resolve(options.basePath);
      // Before React and Ink load: React's development build costs several times the CPU, and Ink
      // draws only the final frame when CI is set, which a person watching a terminal never wants.
      process.env.NODE_ENV ??= 'production';
      if (io.stdout.isTTY) delete process.env.CI;
      const runDashboard = await loadDashboard([process.cwd()]);
      // A missing base is refused by the dashboard itself (ERR_BASE_NOT_FOUND): exit 2 like every command.
      await runDashboard({ basePath, refreshHz: options.refreshHz });
      result.exitCode = EXIT_OK;
    });
}
