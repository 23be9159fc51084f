import { existsSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeepwaterError } from '@deepwater/errors';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import { type TimeUnit, UNITS_PER_SECOND } from '../reader/time-bound.js';
import { GlobalRegistry } from '../registry/global-registry.js';
import * as L from '../registry/layout.js';
import { feedDirOf, loadFeed } from './feed-config.js';
import { liveReaderPositions, openFeedRegistry, setChunkState } from './feed-files.js';
import { type ChunkSummary, summarizeFeed } from './feed-summary.js';

/**
 * Retention: a chunk is expired when its newest record's timestamp is older than wall-clock now −
 * retentionHours (0 = keep forever). Expired chunks go oldest first, and never:
 * - the newest (active) chunk;
 * - a chunk at or after a live reader's announced position (readers.tbl), nor anything after it;
 * - a chunk whose age cannot be read from its records (it is kept, never assumed infinitely old).
 * A chunk is removed by marking its registry entry removed, then unlinking the file: never by
 * truncating it, so a reader that still maps it keeps valid memory.
 */

export type KeepReason = 'active-chunk' | 'live-reader' | 'undated';

export interface ChunkDecision {
  feed: string;
  chunkId: number;
  path: string;
  records: number;
  bytes: number;
  lastTs: number | null;
  /** 'deleted' (or 'would-delete' in a dry run) for expired chunks; 'kept' for expired chunks that must stay. */
  action: 'deleted' | 'would-delete' | 'kept';
  reason?: KeepReason;
  /** Human explanation for a kept chunk. */
  note?: string;
}

export interface FeedCleanup {
  feed: string;
  retentionHours: number;
  /** Chunks whose newest record is older than this (µs) are expired; null when retention is off. */
  cutoffUs: number | null;
  /** Unit of the feed's timestamps (the decisions' lastTs), from its tsUnit. */
  tsUnit: TimeUnit;
  chunks: number;
  decisions: ChunkDecision[];
}

export interface CleanupReport {
  basePath: string;
  dryRun: boolean;
  nowUs: number;
  feeds: FeedCleanup[];
  /** Chunks deleted (or that a dry run would delete). */
  deletedChunks: number;
  bytesFreed: number;
}

export interface CleanupOptions {
  dryRun?: boolean;
  nowUs?: number;
  logger?: Logger;
  /** Called with the total number of chunks once known, then once per chunk examined. */
  onStart?: (totalChunks: number) => void;
  onChunk?: () => void;
}

/** The feed names of a base, read-only (a base without a registry has none). */
export function listFeedNames(basePath: string): string[] {
  if (!existsSync(join(basePath, L.GLOBAL_REGISTRY_FILE))) return [];
  return new GlobalRegistry(basePath).list().map((e) => e.name);
}

export function runCleanup(basePathInput: string, options: CleanupOptions = {}): CleanupReport {
  const basePath = resolve(basePathInput);
  const nowUs = options.nowUs ?? Date.now() * 1000;
  const dryRun = options.dryRun ?? false;
  const logger = options.logger ?? noopLogger;
  const report: CleanupReport = { basePath, dryRun, nowUs, feeds: [], deletedChunks: 0, bytesFreed: 0 };
  const plans = listFeedNames(basePath).map((feed) => planFeed(basePath, feed, nowUs));
  options.onStart?.(plans.reduce((n, p) => n + p.summary.length, 0));
  for (const { cleanup, summary } of plans) {
    report.feeds.push(cleanup);
    for (const decision of cleanup.decisions) {
      if (decision.action !== 'deleted') continue;
      if (dryRun) {
        decision.action = 'would-delete';
      } else if (!removeChunk(basePath, decision, logger)) {
        continue;
      }
      report.deletedChunks++;
      report.bytesFreed += decision.bytes;
    }
    for (let i = 0; i < summary.length; i++) options.onChunk?.();
  }
  return report;
}

function planFeed(
  basePath: string,
  feed: string,
  nowUs: number,
): { cleanup: FeedCleanup; summary: ChunkSummary[] } {
  const loaded = loadFeed(basePath, feed);
  const { retentionHours, persist, tsUnit } = loaded.config;
  const cleanup: FeedCleanup = { feed, retentionHours, cutoffUs: null, tsUnit, chunks: 0, decisions: [] };
  if (!persist) return { cleanup, summary: [] };
  const chunks = summarizeFeed(basePath, loaded).chunks.filter((c) => c.exists);
  cleanup.chunks = chunks.length;
  if (retentionHours === 0 || chunks.length === 0) return { cleanup, summary: chunks };
  const cutoffUs = nowUs - retentionHours * 3600e6;
  cleanup.cutoffUs = cutoffUs;
  // Record timestamps are in the feed's tsUnit (µs unless it says ns/ms/s).
  const cutoff = (cutoffUs / 1e6) * UNITS_PER_SECOND[tsUnit];
  const readers = liveReaderPositions(feedDirOf(basePath, feed)).filter((r) => r.chunkId > 0);
  const newestId = chunks[chunks.length - 1].id;
  for (const chunk of chunks) {
    const expired = chunk.lastTs !== null && chunk.lastTs < cutoff;
    const decision: ChunkDecision = {
      feed,
      chunkId: chunk.id,
      path: chunk.path,
      records: chunk.records,
      bytes: chunk.bytes,
      lastTs: chunk.lastTs,
      action: 'deleted',
    };
    if (chunk.lastTs === null) {
      // Only a chunk with no readable records gets here; it says nothing about age, so it stays.
      if (chunk.id !== newestId) {
        cleanup.decisions.push({
          ...decision,
          action: 'kept',
          reason: 'undated',
          note: 'no records to date it',
        });
      }
      break;
    }
    if (!expired) break; // timestamps never decrease, so every later chunk is newer still
    if (chunk.id === newestId || chunk.state === 'active') {
      cleanup.decisions.push({
        ...decision,
        action: 'kept',
        reason: 'active-chunk',
        note: 'the writer appends here',
      });
      break;
    }
    const reader = readers.find((r) => r.chunkId <= chunk.id);
    if (reader) {
      cleanup.decisions.push({
        ...decision,
        action: 'kept',
        reason: 'live-reader',
        note: `reader pid ${reader.pid} is positioned at chunk ${reader.chunkId}`,
      });
      break; // a reader moves forward: everything after its position stays too
    }
    cleanup.decisions.push(decision);
  }
  return { cleanup, summary: chunks };
}

/** Marks the chunk removed in the registry, then unlinks its file. Returns false if a reader arrived. */
function removeChunk(basePath: string, decision: ChunkDecision, logger: Logger): boolean {
  const feedDir = feedDirOf(basePath, decision.feed);
  // Re-read positions just before acting: a reader may have attached since the plan was made.
  const reader = liveReaderPositions(feedDir).find((r) => r.chunkId > 0 && r.chunkId <= decision.chunkId);
  if (reader) {
    decision.action = 'kept';
    decision.reason = 'live-reader';
    decision.note = `reader pid ${reader.pid} is positioned at chunk ${reader.chunkId}`;
    return false;
  }
  const registry = openFeedRegistry(join(feedDir, L.FEED_REGISTRY_FILE), decision.feed);
  if (typeof registry === 'string') {
    throw new DeepwaterError('ERR_CORRUPT', `Feed "${decision.feed}": chunks.reg ${registry}`, {
      feed: decision.feed,
      path: join(feedDir, L.FEED_REGISTRY_FILE),
    });
  }
  try {
    // Registry first: readers stop looking for the chunk before its file disappears.
    setChunkState(registry, decision.chunkId, L.CHUNK_REMOVED);
    if (registry.firstChunkId() <= decision.chunkId) registry.setFirstChunkId(decision.chunkId + 1);
  } finally {
    registry.close();
  }
  unlinkSync(decision.path);
  logger.info(
    {
      feed: decision.feed,
      chunkId: decision.chunkId,
      records: decision.records,
      bytes: decision.bytes,
      lastTs: decision.lastTs,
    },
    'retention: deleted expired chunk',
  );
  return true;
}
