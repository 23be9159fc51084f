import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { ConnectOptions } from './connection.js';
import { messageOf } from './errors.js';
import { mirrorStream } from './mirror.js';
import { defaultBaseId, feedSubjects } from './naming.js';
import { type BridgeHandle, replicateFeed } from './replicate.js';
import type { BridgeStats } from './stats.js';
import { PACKAGE_VERSION } from './version.js';

export const EXIT_OK = 0;
/** A fatal bridge error (conflict, schema mismatch, gap, unreachable server). */
export const EXIT_ERROR = 2;

const HELP_FOOTER = `
Exit codes:
  0  stopped by SIGINT/SIGTERM, or caught up with --until-caught-up
  2  error: bad arguments, unknown feed, unreachable server (with --connect-attempts),
     schema mismatch, another replicator on the stream, a gap in the stream (mirror --on-gap throw)`;

interface CommonFlags {
  server: string;
  basePath: string;
  feed: string;
  stream?: string;
  untilCaughtUp?: boolean;
  metricsEvery?: number;
  statusFile?: string;
  connectAttempts?: number;
}

interface ReplicateFlags extends CommonFlags {
  baseId?: string;
  from?: number;
  fromSeq?: number;
  replicas?: number;
  batchBytes?: number;
  maxInFlight?: number;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function gapPolicy(value: string): 'skip' | 'throw' {
  if (value === 'skip' || value === 'throw') return value;
  throw new InvalidArgumentError("expected 'skip' or 'throw'");
}

function addCommon(command: Command): Command {
  return command
    .requiredOption('--server <urls>', 'NATS server(s), nats://HOST:PORT[,nats://HOST:PORT…]')
    .requiredOption('-b, --base-path <dir>', 'Deepwater base directory')
    .requiredOption('--feed <name>', 'the local feed')
    .option('--until-caught-up', 'exit 0 once the target holds everything the source had at start')
    .option('--metrics-every <seconds>', 'print progress and lag every N seconds (stderr)', seconds)
    .option(
      '--status-file <path>',
      'stats as JSON, rewritten every second (default <base>/.bridge/<role>-<feed>.status.json)',
    )
    .option(
      '--connect-attempts <n>',
      'give up after N failed connects (default: retry forever with back-off)',
      integer,
    );
}

export type Io = { out: (line: string) => void; err: (line: string) => void };

function formatStats(s: BridgeStats): string {
  return (
    `${s.role} ${s.feed} ⇄ ${s.stream}: next seq ${s.nextSeq}, ${s.records} records this run, ` +
    `${s.recordsPerSecond} rec/s, behind ${s.recordsBehind} records / ${s.secondsBehind.toFixed(1)} s, ` +
    `reconnects ${s.reconnects}, retries ${s.retries}`
  );
}

async function runHandle(handle: BridgeHandle, flags: CommonFlags, io: Io): Promise<number> {
  const stop = (): void => {
    void handle.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer =
    flags.metricsEvery === undefined
      ? undefined
      : setInterval(() => io.err(formatStats(handle.stats)), flags.metricsEvery * 1000);
  try {
    await handle.done;
    io.err(formatStats(handle.stats));
    return EXIT_OK;
  } finally {
    if (timer !== undefined) clearInterval(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function connectFlags(flags: CommonFlags, io: Io): Omit<ConnectOptions, 'signal'> {
  return {
    servers: flags.server,
    ...(flags.connectAttempts === undefined ? {} : { connectAttempts: flags.connectAttempts }),
    onRetry: (attempt, delay, error) =>
      io.err(
        `deepwater-bridge: ${flags.server} unreachable (attempt ${attempt}: ${error.message}); retrying in ${delay} ms`,
      ),
  };
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('deepwater-bridge')
    .description('Replicate Deepwater feeds through NATS JetStream')
    .version(PACKAGE_VERSION)
    .addHelpText('after', HELP_FOOTER)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  addCommon(program.command('replicate'))
    .description(
      'follow a local feed (history, then live) into a JetStream stream; resumes after the last seq it holds',
    )
    .option('--stream <name>', 'stream name (default DW_<BASE-ID>_<FEED>)')
    .option('--base-id <id>', 'names this base in subjects deepwater.<base-id>.<feed>.* (default: host name)')
    .option(
      '--from <ts>',
      'when the stream holds nothing yet: start at the first record with ts >= T',
      integer,
    )
    .option('--from-seq <n>', 'when the stream holds nothing yet: start at seq N', integer)
    .option('--replicas <n>', 'replicas of a stream this command creates (3 on a 3-node cluster)', integer)
    .option('--batch-bytes <n>', 'record bytes per message, at most (default 262144)', integer)
    .option('--max-in-flight <n>', 'publishes awaiting acknowledgement, at most (default 32)', integer)
    .action(async (flags: ReplicateFlags) => {
      const baseId = flags.baseId ?? defaultBaseId();
      const handle = await replicateFeed({
        ...connectFlags(flags, io),
        basePath: flags.basePath,
        feed: flags.feed,
        baseId,
        ...(flags.stream === undefined ? {} : { stream: flags.stream }),
        ...(flags.from === undefined ? {} : { from: flags.from }),
        ...(flags.fromSeq === undefined ? {} : { fromSeq: flags.fromSeq }),
        ...(flags.replicas === undefined ? {} : { limits: { replicas: flags.replicas } }),
        ...(flags.batchBytes === undefined ? {} : { batchBytes: flags.batchBytes }),
        ...(flags.maxInFlight === undefined ? {} : { maxInFlight: flags.maxInFlight }),
        untilCaughtUp: flags.untilCaughtUp === true,
        statusFile:
          flags.statusFile ?? join(flags.basePath, '.bridge', `replicate-${flags.feed}.status.json`),
        onLog: (m) => io.err(`deepwater-bridge: ${m}`),
      });
      io.err(`deepwater-bridge: replicating "${flags.feed}" to ${feedSubjects(baseId, flags.feed).records}`);
      setExit(await runHandle(handle, flags, io));
    });

  addCommon(program.command('mirror'))
    .description(
      'consume a JetStream stream into a local feed with the same schema; resumes after its last record',
    )
    .requiredOption('--stream <name>', 'stream name')
    .option(
      '--on-gap <skip|throw>',
      'records the stream no longer holds: skip them, counted as lost (default), or stop (exit 2)',
      gapPolicy,
    )
    .action(async (flags: CommonFlags & { stream: string; onGap?: 'skip' | 'throw' }) => {
      const handle = await mirrorStream({
        ...connectFlags(flags, io),
        basePath: flags.basePath,
        feed: flags.feed,
        stream: flags.stream,
        untilCaughtUp: flags.untilCaughtUp === true,
        ...(flags.onGap === undefined ? {} : { onGap: flags.onGap }),
        statusFile: flags.statusFile ?? join(flags.basePath, '.bridge', `mirror-${flags.feed}.status.json`),
        onLog: (m) => io.err(`deepwater-bridge: ${m}`),
      });
      setExit(await runHandle(handle, flags, io));
    });
  return program;
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    const commanderCode = (error as { code?: string; exitCode?: number }).code;
    if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
      return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version'
        ? EXIT_OK
        : EXIT_ERROR;
    }
    const code = (error as { code?: unknown }).code;
    io.err(`deepwater-bridge: ${messageOf(error)}${typeof code === 'string' ? ` [${code}]` : ''}`);
    return EXIT_ERROR;
  }
}
