/** Command-line options of deepwater-ingest, validated into one IngestConfig. */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LogLevel } from './log.js';
import { normaliseProductId } from './products.js';
import { parseReplaySpeed, type ReplaySpeed } from './record/replay-server.js';
import type { ReplayClock, ReplayServerPlacement } from './replay.js';

export const COINBASE_ADVANCED_TRADE_URL = 'wss://advanced-trade-ws.coinbase.com';
export const COINBASE_EXCHANGE_URL = 'wss://ws-feed.exchange.coinbase.com';
export const DEFAULT_LIVE_PRODUCTS = ['BTC-USD', 'ETH-USD'];

export interface IngestConfig {
  products: string[];
  basePath: string;
  url: string;
  /** 'exchange' reads the Exchange feed into CBX-* feeds. */
  protocol: 'advanced-trade' | 'exchange';
  replay: string | null;
  /** Where the replay server runs: this thread, a worker thread or a child process. */
  replayServer: ReplayServerPlacement;
  speed: ReplaySpeed;
  /** What stamps recv_us in a replay: the recorded receive times (default) or the replay's wall clock. */
  clock: ReplayClock;
  record: string | null;
  badFrames: string;
  channels: ('market_trades' | 'level2')[];
  interactive: boolean;
  durationS: number;
  metricsEveryS: number;
  onGap: 'reconnect' | 'continue';
  heartbeatTimeoutMs: number;
  messageTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  chunkSizeMb: number;
  retentionHours: number;
  summary: boolean;
  logLevel: LogLevel;
}

function number(flag: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      throw new InvalidArgumentError(`${flag} must be a number >= ${min}, got "${value}"`);
    return n;
  };
}

function channelList(value: string): ('market_trades' | 'level2')[] {
  const channels = value.split(',').map((c) => c.trim());
  for (const c of channels) {
    if (c !== 'market_trades' && c !== 'level2') {
      throw new InvalidArgumentError(`unknown channel "${c}" (use market_trades and/or level2)`);
    }
  }
  return channels as ('market_trades' | 'level2')[];
}

function speed(value: string): ReplaySpeed {
  try {
    return parseReplaySpeed(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function buildProgram(): Command {
  return new Command()
    .name('deepwater-ingest')
    .description(
      'Ingest Coinbase Advanced Trade market data (market_trades, level2, heartbeats) into Deepwater feeds:\n' +
        'CB-TRADES-<PRODUCT>, CB-L2-<PRODUCT> and CB-EVENTS-<PRODUCT>.',
    )
    .argument(
      '[products...]',
      `products to subscribe (default live: ${DEFAULT_LIVE_PRODUCTS.join(' ')}; replay: all in the file)`,
    )
    .option('-b, --base-path <dir>', 'Deepwater base directory', './data')
    .option(
      '--url <url>',
      'websocket endpoint (Coinbase, its sandbox, or a compatible local server)',
      COINBASE_ADVANCED_TRADE_URL,
    )
    .option('--live', 'connect to --url (the default unless --replay is given)')
    .option(
      '--exchange',
      `read the Exchange feed instead (matches, heartbeat, level2_batch) into CBX-* feeds; --url defaults to ${COINBASE_EXCHANGE_URL}`,
    )
    .option(
      '--replay <file>',
      'serve a recorded session (JSON Lines) from a local websocket server and ingest it',
    )
    .option(
      '--replay-thread',
      'run the replay server in a worker thread (uses a second core; off by default)',
    )
    .option(
      '--replay-process',
      'run the replay server in a child process (a second core and its own heap; off by default)',
    )
    .option('--speed <speed>', 'replay pacing: recorded | max | <factor>', speed, 'max' as ReplaySpeed)
    .addOption(
      new Option(
        '--clock <clock>',
        "replay's recv_us: recorded (the file's receive times: replays are reproducible) | wall (now)",
      )
        .choices(['recorded', 'wall'])
        .default('recorded'),
    )
    .option('--record <file>', 'append every received frame to a JSON Lines session file')
    .option(
      '--bad-frames <file>',
      'where frames that cannot be stored are kept (default <base-path>-bad-frames.jsonl)',
    )
    .option('--channels <list>', 'data channels: market_trades,level2', channelList, [
      'market_trades',
      'level2',
    ])
    .option('--headless', 'no stdin commands (for services); stop with SIGINT/SIGTERM or --duration')
    .option(
      '--duration <seconds>',
      'stop after this many seconds (0 = run until stopped)',
      number('--duration', 0),
      0,
    )
    .option(
      '--metrics-every <seconds>',
      'print metrics to stderr this often (0 = never)',
      number('--metrics-every', 0),
      0,
    )
    .addOption(
      new Option('--on-gap <action>', 'on a sequence gap')
        .choices(['reconnect', 'continue'])
        .default('reconnect'),
    )
    .option(
      '--heartbeat-timeout <ms>',
      'reconnect after this long without a heartbeat (0 = off)',
      number('--heartbeat-timeout', 0),
      5000,
    )
    .option(
      '--message-timeout <ms>',
      'reconnect after this long without any frame (0 = off)',
      number('--message-timeout', 0),
      15000,
    )
    .option('--backoff-initial <ms>', 'first reconnect delay', number('--backoff-initial', 1), 500)
    .option('--backoff-max <ms>', 'largest reconnect delay', number('--backoff-max', 1), 30000)
    .option('--chunk-size-mb <mb>', 'chunk size of new feeds (MiB)', number('--chunk-size-mb', 0.001), 63)
    .option(
      '--retention-hours <h>',
      'retention of new feeds (0 = forever)',
      number('--retention-hours', 0),
      72,
    )
    .option('--summary', 'print what was stored when the run ends')
    .addOption(
      new Option('--log-level <level>', 'stderr log level')
        .choices(['debug', 'info', 'warn', 'error', 'silent'])
        .default('info'),
    )
    .showHelpAfterError();
}

interface RawOptions {
  basePath: string;
  url: string;
  live?: boolean;
  exchange?: boolean;
  replay?: string;
  replayThread?: boolean;
  replayProcess?: boolean;
  speed: ReplaySpeed;
  clock: ReplayClock;
  record?: string;
  badFrames?: string;
  channels: ('market_trades' | 'level2')[];
  headless?: boolean;
  duration: number;
  metricsEvery: number;
  onGap: 'reconnect' | 'continue';
  heartbeatTimeout: number;
  messageTimeout: number;
  backoffInitial: number;
  backoffMax: number;
  chunkSizeMb: number;
  retentionHours: number;
  summary?: boolean;
  logLevel: LogLevel;
}

/** Parses argv (as process.argv) into a config; commander reports usage errors and exits. */
export function parseConfig(argv: string[], cwd = process.cwd()): IngestConfig {
  const program = buildProgram();
  program.parse(argv);
  const o = program.opts<RawOptions>();
  if (o.live && o.replay) program.error('--live and --replay cannot be combined');
  if (o.replayThread && o.replayProcess)
    program.error('--replay-thread and --replay-process cannot be combined');
  if (o.exchange && o.replay)
    program.error('--replay serves Advanced Trade sessions only; it cannot be combined with --exchange');
  if (!o.replay && program.getOptionValueSource('clock') !== 'default')
    program.error('--clock applies to --replay only (a live ingest stamps the time frames arrive)');
  const urlGiven = program.getOptionValueSource('url') !== 'default';
  if (o.backoffMax < o.backoffInitial) program.error('--backoff-max must be >= --backoff-initial');
  let products: string[] = [];
  try {
    products = [...new Set((program.args as string[]).map(normaliseProductId))];
  } catch (error) {
    program.error((error as Error).message);
  }
  const basePath = resolve(cwd, o.basePath);
  return {
    products: products.length > 0 || o.replay ? products : DEFAULT_LIVE_PRODUCTS,
    basePath,
    url: o.exchange && !urlGiven ? COINBASE_EXCHANGE_URL : o.url,
    protocol: o.exchange ? 'exchange' : 'advanced-trade',
    replay: o.replay ? resolve(cwd, o.replay) : null,
    replayServer: o.replayProcess ? 'process' : o.replayThread ? 'thread' : 'inline',
    speed: o.speed,
    clock: o.clock,
    record: o.record ? resolve(cwd, o.record) : null,
    badFrames: o.badFrames ? resolve(cwd, o.badFrames) : `${basePath}-bad-frames.jsonl`,
    channels: o.channels,
    interactive: !o.headless,
    durationS: o.duration,
    metricsEveryS: o.metricsEvery,
    onGap: o.onGap,
    heartbeatTimeoutMs: o.heartbeatTimeout,
    messageTimeoutMs: o.messageTimeout,
    backoffInitialMs: o.backoffInitial,
    backoffMaxMs: o.backoffMax,
    chunkSizeMb: o.chunkSizeMb,
    retentionHours: o.retentionHours,
    summary: o.summary ?? false,
    logLevel: o.logLevel,
  };
}
