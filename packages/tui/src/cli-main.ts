import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { BaseNotFoundError } from './data/base-path.js';
import { runDashboard } from './run-dashboard.js';

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

const program = new Command()
  .name('deepwater-dashboard')
  .version(
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
    '-V, --version',
    'print the version and exit',
  )
  .description('Live terminal dashboard of a Deepwater base: feeds, rates, state, storage.')
  .option('-b, --base-path <path>', 'the Deepwater base directory to watch (like `deepwater`)', './data')
  .option(
    '--refresh-hz <n>',
    'counter samples (and redraws) per second, 0.5–30',
    positiveNumber('--refresh-hz'),
    2,
  )
  .option(
    '--live-seconds <n>',
    'a feed is LIVE while its newest record is at most this old',
    positiveNumber('--live-seconds'),
    5,
  )
  .option(
    '--max-age-seconds <n>',
    'a feed without a writer is DOWN until its newest record is this old, then IDLE',
    positiveNumber('--max-age-seconds'),
    300,
  )
  .showHelpAfterError();

program.parse();
const opts = program.opts<{
  basePath: string;
  refreshHz: number;
  liveSeconds: number;
  maxAgeSeconds: number;
}>();

// `pnpm --filter @deepwater/tui dashboard` runs in the package folder; package managers put the
// directory the user typed the command in into INIT_CWD, and that is what a relative path means.
const basePath = resolve(process.env.INIT_CWD || process.cwd(), opts.basePath);

// SIGTERM (e.g. from `pnpm demo -- --live-view` when the replay ends) quits like 'q': the terminal
// is restored instead of left in the dashboard's mode.
const quit = new AbortController();
process.once('SIGTERM', () => quit.abort());

try {
  await runDashboard({
    basePath,
    signal: quit.signal,
    refreshHz: opts.refreshHz,
    thresholds: { liveSeconds: opts.liveSeconds, maxAgeSeconds: opts.maxAgeSeconds },
  });
} catch (error) {
  // Exit codes follow deepwater-health: 2 means the dashboard could not look at the base at all.
  process.stderr.write(`deepwater-dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!(error instanceof BaseNotFoundError) && process.env.DEEPWATER_DEBUG) console.error(error);
  process.exit(2);
}
