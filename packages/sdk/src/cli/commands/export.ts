import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { loadArrowCli } from '../load-arrow.js';
import type { CommandResult } from '../program.js';

/**
 * `deepwater export …` and `deepwater import …`: the same commands as `deepwater-arrow`, run from
 * @deepwater/arrow when it is installed (the sdk does not depend on it).
 */
export function registerArrowCommands(program: Command, io: CliIo, result: CommandResult): void {
  for (const [name, description] of [
    ['export', "a feed's records to a Parquet, Arrow or CSV file (needs @deepwater/arrow installed)"],
    ['import', 'a Parquet, Arrow or CSV file into a feed (needs @deepwater/arrow installed)'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]', `arguments of deepwater-arrow ${name} (--help for them)`)
      .action(async (args: string[]) => {
        const runArrowCli = await loadArrowCli([process.cwd()]);
        result.exitCode = await runArrowCli([name, ...args], io);
      });
  }
}
