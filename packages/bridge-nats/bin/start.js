// Shared by the bin stubs. The stubs are committed (pnpm links bins at install time, before dist/
// exists) and load the compiled CLI only when run. A failure while loading it — most often the
// native addon, whose error says what to install — is one line on stderr, not a stack trace.
const EXIT_ERROR = 2;

export async function start(command, entry) {
  try {
    await import(entry);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${command}: ${message}\n`);
    if (process.env.DEEPWATER_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exit(EXIT_ERROR);
  }
}
