import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Progress and lag of one bridge, kept current while it runs (also what the status file holds). */
export interface BridgeStats {
  role: 'replicate' | 'mirror';
  feed: string;
  stream: string;
  servers: string;
  /** Records published and acknowledged (replicate) or written to the local feed (mirror) by this run. */
  records: number;
  bytes: number;
  messages: number;
  /** Seq of the next record to publish / write: everything before it is in the target. */
  nextSeq: number;
  /** Seq after the newest record the source holds, as last seen. */
  sourceNextSeq: number;
  recordsBehind: number;
  /** Age (wall clock) of the newest record in the target while behind; 0 when caught up. */
  secondsBehind: number;
  /** Records per second over the last metrics interval. */
  recordsPerSecond: number;
  /**
   * Records the target will never hold: lost by the source before the bridge read them (a ring
   * lapped it, retention expired them), or expired from the stream before a mirror consumed them.
   */
  lostRecords: number;
  reconnects: number;
  /** Publish/consume failures recovered from by resynchronising with the stream. */
  retries: number;
  caughtUp: boolean;
  /**
   * running: connected and publishing/writing (or waiting for records); retrying: a failure is being
   * recovered from (back-off, then resynchronise); stopped: closed, or caught up with untilCaughtUp;
   * failed: stopped by a fatal error (lastError says which).
   */
  state: 'running' | 'retrying' | 'stopped' | 'failed';
  /** The bridge's process, so a dashboard can tell a stopped status from a dead bridge. */
  pid: number;
  /** How often the status file is rewritten: a status older than a few of these is stale. */
  statusEveryMs: number;
  startedAt: string;
  updatedAt: string;
  /** Last error recovered from (or the one that stopped the bridge). */
  lastError?: string;
}

export function initialStats(
  role: BridgeStats['role'],
  feed: string,
  stream: string,
  servers: string,
  statusEveryMs = 1000,
): BridgeStats {
  const now = new Date().toISOString();
  return {
    role,
    feed,
    stream,
    servers,
    records: 0,
    bytes: 0,
    messages: 0,
    nextSeq: 0,
    sourceNextSeq: 0,
    recordsBehind: 0,
    secondsBehind: 0,
    recordsPerSecond: 0,
    lostRecords: 0,
    reconnects: 0,
    retries: 0,
    caughtUp: false,
    state: 'running',
    pid: process.pid,
    statusEveryMs,
    startedAt: now,
    updatedAt: now,
  };
}

/** Recomputes the derived fields (lag, rate) once per interval. */
export class RateMeter {
  #lastRecords = 0;
  #lastAt = performance.now();

  update(stats: BridgeStats, newestTargetTsUs: number | undefined): void {
    const now = performance.now();
    const elapsed = (now - this.#lastAt) / 1000;
    if (elapsed > 0) stats.recordsPerSecond = Math.round((stats.records - this.#lastRecords) / elapsed);
    this.#lastRecords = stats.records;
    this.#lastAt = now;
    stats.recordsBehind = Math.max(0, stats.sourceNextSeq - stats.nextSeq);
    stats.secondsBehind =
      stats.recordsBehind > 0 && newestTargetTsUs !== undefined
        ? Math.max(0, (Date.now() * 1000 - newestTargetTsUs) / 1e6)
        : 0;
    stats.updatedAt = new Date().toISOString();
  }
}

/**
 * Writes the stats as JSON atomically (temp file + rename), so a dashboard never reads half a file.
 * A failure (directory gone, disk full) is reported, never thrown: the bridge itself goes on.
 */
export function writeStatusFile(path: string, stats: BridgeStats, onError?: (message: string) => void): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(stats, null, 2)}\n`);
    renameSync(temp, path);
  } catch (error) {
    onError?.(`status file ${path} not written: ${error instanceof Error ? error.message : String(error)}`);
  }
}
