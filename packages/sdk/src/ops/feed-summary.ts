import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lockHolder } from '@deepwater/storage-native';
import { ChunkFile } from '../disk/chunk-file.js';
import * as L from '../registry/layout.js';
import { feedDirOf, type LoadedFeed, WRITER_LOCK_FILE } from './feed-config.js';
import { openChunk, openFeedRegistry, recordsInFile } from './feed-files.js';

export interface ChunkSummary {
  id: number;
  state: string;
  records: number;
  /** From the chunk's own records (the registry's copy may be stale after a crash). */
  firstTs: number | null;
  lastTs: number | null;
  path: string;
  exists: boolean;
  bytes: number;
}

export interface FeedSummary {
  records: number;
  firstTs: number | null;
  lastTs: number | null;
  lastAppendUs: number | null;
  writerPid: number | null;
  lastChunkId: number;
  chunks: ChunkSummary[];
}

/**
 * A read-only picture of a disk feed taken from its files: what retention and health decide on.
 * Timestamps come from the records themselves, so a registry field that stopped being maintained
 * can never make a chunk look infinitely old.
 */
export function summarizeFeed(basePath: string, loaded: LoadedFeed): FeedSummary {
  const feed = loaded.config.feedName;
  const feedDir = feedDirOf(basePath, feed);
  const lockPath = join(feedDir, WRITER_LOCK_FILE);
  const summary: FeedSummary = {
    records: 0,
    firstTs: null,
    lastTs: null,
    lastAppendUs: null,
    writerPid: existsSync(lockPath) ? lockHolder(lockPath) : null,
    lastChunkId: 0,
    chunks: [],
  };
  const registryPath = join(feedDir, L.FEED_REGISTRY_FILE);
  if (!loaded.config.persist || !existsSync(registryPath)) return summary;
  const registry = openFeedRegistry(registryPath, feed);
  if (typeof registry === 'string') return summary;
  try {
    const lastAppend = registry.lastAppendUs();
    summary.lastAppendUs = Number.isFinite(lastAppend) && lastAppend > 0 ? lastAppend : null;
    const last = registry.lastChunkIdAcquire();
    summary.lastChunkId = last;
    const windowStart = last - registry.slotCapacity + 1;
    for (let id = Math.max(1, registry.firstChunkId()); id <= last; id++) {
      const info = registry.chunk(id);
      // Older than the slot window: no slot by design, the chunk file alone describes it (sealed).
      const unslotted = info === undefined && id < windowStart;
      if ((info === undefined && !unslotted) || info?.state === L.CHUNK_REMOVED) continue;
      const path = ChunkFile.pathFor(feedDir, id);
      if (unslotted && !existsSync(path)) continue;
      const chunk: ChunkSummary = {
        id,
        state: info === undefined ? 'full' : (L.CHUNK_STATE_NAMES[info.state] ?? `state-${info.state}`),
        records: 0,
        firstTs: null,
        lastTs: null,
        path,
        exists: existsSync(path),
        bytes: 0,
      };
      if (chunk.exists) readChunkBounds(feedDir, chunk, loaded);
      summary.chunks.push(chunk);
      summary.records += chunk.records;
      if (chunk.firstTs !== null && summary.firstTs === null) summary.firstTs = chunk.firstTs;
      if (chunk.lastTs !== null) summary.lastTs = chunk.lastTs;
    }
  } finally {
    registry.close();
  }
  return summary;
}

function readChunkBounds(feedDir: string, summary: ChunkSummary, loaded: LoadedFeed): void {
  const opened = openChunk(feedDir, summary.id, loaded.config.feedName, loaded.layout.recordSize, false);
  if (typeof opened === 'string') return;
  const { chunk } = opened;
  try {
    summary.bytes = opened.fileLength;
    const published = Math.min(chunk.committedAcquire(), chunk.capacity, recordsInFile(opened));
    summary.records = published;
    if (published > 0) {
      summary.firstTs = loaded.codec.readTimestamp(chunk.view, chunk.recordOffset(0));
      summary.lastTs = loaded.codec.readTimestamp(chunk.view, chunk.recordOffset(published - 1));
    }
  } finally {
    chunk.close();
  }
}
