// Command-line options of the soak (commander is already an sdk dependency).
import { Command, type CommanderError, InvalidArgumentError, Option } from 'commander';

export interface SoakOptions {
  minutes: number;
  /** Records per second the writer appends. */
  rate: number;
  /** Seconds a writer generation writes before it is SIGKILLed and restarted. */
  killEvery: number;
  /** Seconds between retention cleanups. */
  cleanupEvery: number;
  /** Seconds between resource samples and progress lines. */
  sampleEvery: number;
  /** Seconds a process runs before its growth is measured from its next sample. */
  warmup: number;
  chunkMb: number;
  retentionSeconds: number;
  /** Seconds the readers get to reach the END record once the writer finished. */
  drainTimeout: number;
  base: string | undefined;
  keep: boolean;
  /** Harness self-test: restarted writers resume one seq off, which every reader must report. */
  inject: 'resume-gap' | 'resume-duplicate' | undefined;
}

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0`);
    return n;
  };
}

export function parseOptions(argv: string[]): SoakOptions {
  const program = new Command('soak')
    .description(
      'Soak test: a writer SIGKILLed and restarted on a schedule, four readers checking exactly-once delivery, retention cleanup, resource growth',
    )
    .option('--minutes <n>', 'run time in minutes (fractional allowed)', positive('--minutes'), 10)
    .option('--rate <n>', 'records per second the writer appends', positive('--rate'), 20_000)
    .option(
      '--kill-every <s>',
      'seconds each writer generation writes before SIGKILL',
      positive('--kill-every'),
      60,
    )
    .option('--cleanup-every <s>', 'seconds between retention cleanups', positive('--cleanup-every'), 30)
    .option(
      '--sample-every <s>',
      'seconds between resource samples and progress lines',
      positive('--sample-every'),
      10,
    )
    .option('--warmup <s>', 'seconds of a process life before growth is measured', positive('--warmup'), 30)
    .option(
      '--chunk-mb <n>',
      'chunk size in MiB (rotation every few seconds by default)',
      positive('--chunk-mb'),
      2,
    )
    .option(
      '--retention-seconds <s>',
      'feed retention (cleanup removes chunks older)',
      positive('--retention-seconds'),
      10,
    )
    .option(
      '--drain-timeout <s>',
      'seconds readers get to reach the last record at the end',
      positive('--drain-timeout'),
      180,
    )
    .option(
      '--base <dir>',
      'base directory (must not exist or be empty; kept afterwards); default: a temp dir, removed',
    )
    .option('--keep', 'keep the temporary base directory', false)
    .addOption(
      new Option(
        '--inject <fault>',
        'self-test of the harness: restarted writers resume one seq off (the soak must FAIL)',
      ).choices(['resume-gap', 'resume-duplicate']),
    )
    .showHelpAfterError('(soak --help lists the options)')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    // --help exits 0; a usage error exits 2, apart from a soak that failed (1).
    process.exit((error as CommanderError).exitCode === 0 ? 0 : 2);
  }
  return program.opts<SoakOptions>();
}
