/**
 * How a running ingest is steered: stdin commands (interactive), SIGINT/SIGTERM, --duration and
 * periodic metrics. Returns a function that removes every listener and timer it installed.
 */
import { createInterface } from 'node:readline';
import { COMMAND_HELP, parseCommand } from './commands.js';
import type { IngestConfig } from './config.js';
import type { Logger } from './log.js';
import { formatMetrics } from './metrics.js';
import type { Ingester } from './session/ingester.js';

export interface ControlIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

export function formatStatus(ingester: Ingester): string {
  const s = ingester.status();
  const lines = [
    `url ${s.url}  state ${s.state}  connection ${s.connection}  next sequence ${s.nextSequence ?? '—'}`,
    `products ${s.products.join(' ') || '(none)'}`,
    `acknowledged ${
      Object.entries(s.acknowledged)
        .map(([channel, products]) => `${channel}=[${products.join(',')}]`)
        .join(' ') || '(none yet)'
    }`,
    `gaps ${s.sequenceGaps} (trade id ${s.tradeIdGaps})  reconnects ${s.reconnects}  bad frames ${s.badFrames}`,
    ...Object.entries(s.recordsByFeed).map(([feed, n]) => `  ${feed.padEnd(28)} ${n} records`),
  ];
  return lines.join('\n');
}

export function installControls(
  ingester: Ingester,
  config: IngestConfig,
  io: ControlIo,
  log: Logger,
): () => void {
  const cleanups: Array<() => void> = [];
  const stop = (why: string) => {
    log.info(`stopping: ${why}`);
    void ingester.stop();
  };
  const onSignal = (signal: string) => () => stop(signal);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = onSignal(signal);
    process.once(signal, handler);
    cleanups.push(() => process.off(signal, handler));
  }
  if (config.durationS > 0) {
    const timer = setTimeout(() => stop(`--duration ${config.durationS}s reached`), config.durationS * 1000);
    cleanups.push(() => clearTimeout(timer));
  }
  if (config.metricsEveryS > 0) {
    const timer = setInterval(
      () => log.info(`metrics\n${formatMetrics(ingester.metrics.snapshot())}`),
      config.metricsEveryS * 1000,
    );
    cleanups.push(() => clearInterval(timer));
  }
  if (config.interactive) {
    const rl = createInterface({ input: io.stdin, terminal: false });
    const print = (text: string) => io.stdout.write(`${text}\n`);
    print('type help for commands');
    rl.on('line', (line) => {
      try {
        runCommand(line);
      } catch (error) {
        print(`error: ${(error as Error).message}`);
      }
    });
    const runCommand = (line: string) => {
      const parsed = parseCommand(line);
      if (!parsed.ok) return print(parsed.error);
      const command = parsed.command;
      switch (command.name) {
        case 'subscribe': {
          const added = ingester.subscribe(command.products);
          return print(added.length > 0 ? `subscribed ${added.join(' ')}` : 'already subscribed');
        }
        case 'unsubscribe': {
          const removed = ingester.unsubscribe(command.products);
          return print(
            removed.length > 0 ? `unsubscribed ${removed.join(' ')} (writers closed)` : 'not subscribed',
          );
        }
        case 'status':
          return print(formatStatus(ingester));
        case 'metrics':
          return print(formatMetrics(ingester.metrics.snapshot()));
        case 'stop':
          return stop('stop command');
        case 'help':
          return print(COMMAND_HELP);
        case 'empty':
          return;
      }
    };
    cleanups.push(() => rl.close());
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}
