import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_CODES_HELP, EXIT_ERROR, EXIT_OK } from './exit-codes.js';
import type { CliIo } from './io.js';
import { PACKAGE_VERSION } from './version.js';

/** Where a command action leaves its exit code (commander's action callbacks return nothing useful). */
export interface CommandResult {
  exitCode: number;
}

/**
 * Runs `deepwater <argv…>` and resolves to the exit code. Never calls process.exit, so tests run it
 * in-process with captured output; `main.ts` wires it to the real process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const result: CommandResult = { exitCode: EXIT_OK };
  const program = new Command('deepwater')
    .description('Operate a Deepwater base: inspect feeds, read records, check health, clean up, repair.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);
  for (const register of COMMANDS) register(program, io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message or the help text.
    if (['commander.helpDisplayed', 'commander.version'].includes(error.code)) return EXIT_OK;
    if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    return EXIT_ERROR;
  }
  if (error instanceof CliError) {
    io.stderr.write(`deepwater: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  io.stderr.write(`deepwater: ${message}${typeof code === 'string' ? ` (${code})` : ''}\n`);
  if (io.env.DEEPWATER_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_ERROR;
}
