import { processIo } from './io.js';
import { runCli } from './program.js';

/** Process entry shared by `deepwater` and its aliases: run, then exit with the command's code. */
export async function runMain(argv: readonly string[]): Promise<void> {
  // `deepwater dump … | head` closes the pipe early: that is success, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const code = await runCli(argv, processIo());
  // Exit explicitly: a follow loop or a logger worker must not keep a finished command alive.
  process.exit(code);
}
