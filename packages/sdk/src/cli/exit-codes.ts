/**
 * Exit codes shared by every command, documented in `--help` and the README.
 * Scripts and monitoring (cron, Nagios-style checks) branch on them, so they never change meaning.
 */
export const EXIT_OK = 0;
/** Health: a check failed. Repair --dry-run: problems were found. Repair: problems remain unfixed. */
export const EXIT_PROBLEMS = 1;
/** Bad arguments, a missing or unreadable base path, an unknown feed, or an unexpected failure. */
export const EXIT_ERROR = 2;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (health: every check passed)
  1  problems found (health: a check failed; repair: problems found or left unfixed)
  2  error: bad arguments, missing or unreadable base path, unknown feed, unexpected failure`;
