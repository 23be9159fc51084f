/**
 * Replays a recorded session through the real websocket path: a local ReplayServer serves the file,
 * an Ingester connects to it exactly as it would to Coinbase, and the run ends when the server
 * signals the end of the session. With `server: 'process'` (or 'thread'), the server runs in a child
 * process (or a worker thread), so that serving and ingesting use both cores.
 */
import { type MicrosClock, MonotonicMicrosClock, RecordedMicrosClock } from './coinbase/clock.js';
import type { IngestSink } from './feeds/sink.js';
import { type Logger, silentLogger } from './log.js';
import type { BadFrameLog } from './record/bad-frames.js';
import type { SessionRecorder } from './record/recorder.js';
import { startReplayProcess } from './record/replay-process.js';
import { CLOSE_END_OF_SESSION, ReplayServer, type ReplaySpeed } from './record/replay-server.js';
import { type ReplayEndpoint, startReplayThread } from './record/replay-thread.js';
import { type RecordedFrame, readSession } from './record/session-file.js';
import { Ingester, type IngesterOptions } from './session/ingester.js';

export interface ReplayOptions {
  /** The session: parsed segments, or a file (required unless the server is 'inline'). */
  segments?: RecordedFrame[][];
  file?: string;
  /** Where the server runs: in this thread (default), a worker thread or a child process. */
  server?: ReplayServerPlacement;
  /** Same as `server: 'thread'` (kept for callers of earlier versions). */
  thread?: boolean;
  sink: IngestSink;
  speed?: ReplaySpeed;
  /**
   * What stamps recv_us: 'recorded' (default) the time each frame was received when it was recorded,
   * so two replays of one file store identical records; 'wall' the replay's own receive time (load
   * tests). Independent of the pacing (`speed`).
   */
  clock?: ReplayClock;
  /** Products to subscribe; default: every product in the session. */
  products?: readonly string[];
  badFrames?: BadFrameLog | null;
  recorder?: SessionRecorder | null;
  log?: Logger;
  /** Extra ingester settings (timeouts, back-off). */
  ingester?: Partial<IngesterOptions>;
  /** Called once the ingester exists, e.g. to wire stdin commands. */
  onStart?: (ingester: Ingester, server: ReplayEndpoint) => void;
}

export type ReplayServerPlacement = 'inline' | 'thread' | 'process';
export type ReplayClock = 'recorded' | 'wall';

export interface ReplayResult {
  ingester: Ingester;
  framesSent: number;
  elapsedMs: number;
  /** The receive clock the records were stamped with. */
  clock: MicrosClock;
}

export async function replaySession(options: ReplayOptions): Promise<ReplayResult> {
  const log = options.log ?? silentLogger;
  const speed = options.speed ?? 'max';
  const placement = options.server ?? (options.thread ? 'thread' : 'inline');
  const recorded = (options.clock ?? 'recorded') === 'recorded';
  const clock = recorded ? new RecordedMicrosClock() : new MonotonicMicrosClock();
  let server: ReplayEndpoint;
  if (placement !== 'inline') {
    if (options.file === undefined) throw new TypeError(`replaySession: server '${placement}' needs a file`);
    server =
      placement === 'thread'
        ? await startReplayThread(options.file, speed, log.debug, recorded)
        : await startReplayProcess(options.file, speed, log.debug, recorded);
  } else {
    const segments = options.segments ?? (options.file ? await readSession(options.file) : undefined);
    if (segments === undefined) throw new TypeError('replaySession: give segments or a file');
    server = await ReplayServer.start({ segments, speed, log: log.debug, stampRecvUs: recorded });
  }
  let ingester: Ingester;
  try {
    ingester = createIngester(options, server, log, clock);
  } catch (error) {
    // E.g. another process holds a feed's writer: do not leave the server holding the process open.
    await server.close();
    throw error;
  }
  const started = performance.now();
  const ended = new Promise<void>((resolve) => {
    ingester.once('ended', () => resolve());
    ingester.once('stopped', () => resolve());
  });
  options.onStart?.(ingester, server);
  ingester.start();
  try {
    await ended;
  } finally {
    await ingester.stop();
    await server.close();
  }
  return { ingester, framesSent: server.framesSent, elapsedMs: performance.now() - started, clock };
}

function createIngester(
  options: ReplayOptions,
  server: ReplayEndpoint,
  log: Logger,
  clock: MicrosClock,
): Ingester {
  return new Ingester({
    url: server.url,
    products: options.products ?? server.products,
    sink: options.sink,
    badFrames: options.badFrames ?? null,
    recorder: options.recorder ?? null,
    log,
    clock,
    // The server is local: retry fast, and a replay at recorded speed may be paused by the user.
    backoffInitialMs: 50,
    backoffMaxMs: 1000,
    // On the recorded clock a RECONNECT event must not depend on chance or on the pacing: no jitter,
    // and the back-off resets after any connection that received frames, however long it lasted.
    ...(clock instanceof RecordedMicrosClock ? { backoffJitter: 0, healthyAfterMs: 0 } : {}),
    ...options.ingester,
    endCodes: [CLOSE_END_OF_SESSION],
  });
}
