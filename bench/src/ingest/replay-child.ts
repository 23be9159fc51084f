/**
 * One ingest replay measurement, in its own process (see replay.ts):
 *
 *   replay server (a child of this process) ──ws, loopback──▶ Ingester → DeepwaterSink → CB-* disk feeds
 *                                                                           (or MemorySink: the floor)
 *
 * A short session is replayed first into its own feeds, so the measured run is JIT-compiled code,
 * as in a long-running ingester. The run must deliver every frame with no bad frame and no write
 * error, or it reports an error instead of a rate: a fast ingest that dropped data is not a result.
 */
import { childMain } from '../core/child-main.js';
import { type LatencySummary, newLatencyHistogram, recordNanos, reportHistogram } from '../core/histogram.js';

export interface IngestReplayParams {
  base: string;
  file: string;
  frames: number;
  /** Replayed first into `${base}-warm-up`, not measured. */
  warmUpFile: string;
  /**
   * `memory`: the same replay into a counting in-memory sink (no Deepwater) — the floor that
   * the Deepwater run is judged against: websocket receive, JSON parse and gap checks alone.
   */
  sink: 'deepwater' | 'memory';
}

export interface IngestReplayResult {
  messages: number;
  records: number;
  seconds: number;
  /** This process's CPU time (user + system) per message, from the ingester's start. */
  cpuMicrosPerMessage: number;
  /** Parse + gap checks + write per frame, every frame of the run. */
  latency: LatencySummary;
}

childMain(async (params: IngestReplayParams): Promise<IngestReplayResult> => {
  const { base, file, frames, warmUpFile } = params;
  const { DeepwaterSink, MemorySink, replaySession } = await import('@deepwater/ingest-example');
  const openSink = (path: string) =>
    params.sink === 'memory' ? new MemorySink({ keep: false }) : new DeepwaterSink(path);
  const warmUp = openSink(`${base}-warm-up`);
  try {
    await replaySession({ file: warmUpFile, server: 'process', sink: warmUp, speed: 'max' });
  } finally {
    warmUp.close();
  }
  const sink = openSink(base);
  try {
    let cpuBefore = process.cpuUsage();
    const result = await replaySession({
      file,
      server: 'process',
      sink,
      speed: 'max',
      // From the ingester's start: loading the session into the server is not ingest work.
      onStart: () => {
        cpuBefore = process.cpuUsage();
      },
      ingester: { heartbeatTimeoutMs: 0, messageTimeoutMs: 0, latencySamples: frames + 1024 },
    });
    const cpu = process.cpuUsage(cpuBefore);
    const metrics = result.ingester.metrics;
    const messages = metrics.messages.total;
    if (messages !== result.framesSent || messages === 0) {
      throw new Error(`the ingester received ${messages} messages, the server sent ${result.framesSent}`);
    }
    if (metrics.badFrames > 0 || metrics.writeErrors > 0) {
      throw new Error(`${metrics.badFrames} bad frames and ${metrics.writeErrors} write errors`);
    }
    let records = 0;
    for (const counter of metrics.recordsByFeed.values()) records += counter.total;
    const histogram = newLatencyHistogram();
    for (const micros of metrics.latency.samples()) recordNanos(histogram, micros * 1000);
    return {
      messages,
      records,
      seconds: result.elapsedMs / 1000,
      cpuMicrosPerMessage: (cpu.user + cpu.system) / messages,
      latency: reportHistogram(histogram),
    };
  } finally {
    sink.close();
  }
});
