import type { Command } from 'commander';
import { runMigrate } from '../../ops/migrate.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { assertExistingBase } from '../open-platform.js';
import { type CommonOptions, withCommonOptions } from '../options.js';
import { writeJson } from '../output.js';
import type { CommandResult } from '../program.js';

export function registerMigrate(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('migrate')
    .description("upgrade a base of an older on-disk format (version 1) to this sdk's format, in place")
    .addHelpText(
      'after',
      '\nStop every writer of the base first (migrate refuses while one holds a lock; nothing is changed then).' +
        '\nSafe to interrupt: run it again to finish. Version 1 chunks.reg files are kept as chunks.reg.v1.' +
        '\n\nExit codes:\n  0  migrated, or already current\n  2  error: not a base, a writer is running, an unknown version',
    );
  withCommonOptions(command).action((options: CommonOptions) => {
    const report = runMigrate(assertExistingBase(options.basePath));
    if (options.json) writeJson(io.stdout, report);
    else if (report.alreadyCurrent) {
      io.stdout.write(`${report.basePath}: already format version ${report.toVersion}; nothing to do\n`);
    } else {
      for (const feed of report.feeds) {
        io.stdout.write(
          `${feed.name}: ${feed.persist ? `${feed.chunks} chunk(s), ${feed.records} record(s) (seqs 0..${feed.records - 1})` : 'ring feed'}\n`,
        );
      }
      io.stdout.write(
        `migrated ${report.basePath} from format version ${report.fromVersion} to ${report.toVersion}\n`,
      );
    }
    result.exitCode = EXIT_OK;
  });
}
