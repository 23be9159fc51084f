/** One ingest run from a config: live or replayed, into Deepwater, steered by controls.ts. */
import { MonotonicMicrosClock, RecordedMicrosClock } from './coinbase/clock.js';
import type { IngestConfig } from './config.js';
import { type ControlIo, installControls } from './controls.js';
import { DeepwaterSink } from './feeds/deepwater-sink.js';
import { createLogger, type Logger } from './log.js';
import { formatMetrics, type MetricsSnapshot } from './metrics.js';
import { BadFrameLog } from './record/bad-frames.js';
import { SessionRecorder } from './record/recorder.js';
import { replaySession } from './replay.js';
import { Ingester } from './session/ingester.js';
import { summarize } from './summary.js';

export interface RunResult {
  products: string[];
  metrics: MetricsSnapshot;
  /** The run's window on recv_us. */
  sinceUs: number;
  untilUs: number;
  badFramesPath: string | null;
}

export async function runIngest(
  config: IngestConfig,
  io: ControlIo = { stdin: process.stdin, stdout: process.stdout },
  log: Logger = createLogger(config.logLevel),
): Promise<RunResult> {
  const clock = new MonotonicMicrosClock();
  const prefix = config.protocol === 'exchange' ? 'CBX' : 'CB';
  const sink = new DeepwaterSink(
    config.basePath,
    { chunkSizeMb: config.chunkSizeMb, retentionHours: config.retentionHours },
    prefix,
  );
  const recorder = config.record ? new SessionRecorder(config.record) : null;
  const badFrames = new BadFrameLog(config.badFrames);
  let sinceUs = clock.nowUs();
  const ingesterOptions = {
    channels: config.channels,
    onGap: config.onGap,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    messageTimeoutMs: config.messageTimeoutMs,
    log,
  };
  let ingester: Ingester;
  /** The run's window on recv_us: the recorded times of a replay on the recorded clock. */
  let window: { sinceUs: number; untilUs: number } | null = null;
  let removeControls = () => {};
  try {
    if (config.replay) {
      log.info(
        `replaying ${config.replay} at speed ${config.speed} on the ${config.clock} clock into ${config.basePath}`,
      );
      const result = await replaySession({
        file: config.replay,
        server: config.replayServer,
        sink,
        speed: config.speed,
        clock: config.clock,
        products: config.products.length > 0 ? config.products : undefined,
        badFrames,
        recorder,
        log,
        ingester: ingesterOptions,
        onStart: (i) => {
          removeControls = installControls(i, config, io, log);
        },
      });
      ingester = result.ingester;
      if (result.clock instanceof RecordedMicrosClock) {
        const firstUs = result.clock.firstUs ?? 0;
        window = { sinceUs: firstUs, untilUs: result.clock.nowUs() + 1 };
      }
    } else {
      ingester = new Ingester({
        url: config.url,
        protocol: config.protocol,
        products: config.products,
        sink,
        badFrames,
        recorder,
        backoffInitialMs: config.backoffInitialMs,
        backoffMaxMs: config.backoffMaxMs,
        ...ingesterOptions,
      });
      const stopped = new Promise<void>((resolve) => ingester.once('stopped', () => resolve()));
      removeControls = installControls(ingester, config, io, log);
      ingester.start();
      await stopped;
    }
  } finally {
    removeControls();
    sink.close();
    await recorder?.close();
    await badFrames.close();
  }
  const untilUs = window?.untilUs ?? clock.nowUs() + 1;
  sinceUs = window?.sinceUs ?? sinceUs;
  const metrics = ingester.metrics.snapshot();
  log.info(`run finished\n${formatMetrics(metrics)}`);
  if (badFrames.count > 0) log.warn(`${badFrames.count} bad frames kept in ${config.badFrames}`);
  const products = [
    ...new Set([
      ...config.products,
      ...Object.keys(metrics.recordsByFeed).map((f) => f.replace(/^CBX?-[A-Z0-9]+-/, '')),
    ]),
  ];
  if (config.summary) {
    io.stdout.write(`\n${summarize({ basePath: config.basePath, sinceUs, untilUs, products, prefix })}\n`);
  }
  return {
    products,
    metrics,
    sinceUs,
    untilUs,
    badFramesPath: badFrames.count > 0 ? config.badFrames : null,
  };
}
