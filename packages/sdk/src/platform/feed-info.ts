import type { FieldType, RecordLayout } from '@deepwater/schema-wasm';
import type { TimeUnit } from '../reader/time-bound.js';
import type { Durability } from '../writer/writer.js';
import type { FeedConfig, FeedMode } from './feed-spec.js';
import { MIB } from './feed-spec.js';

export interface FieldInfo {
  name: string;
  type: FieldType;
  offset: number;
  size: number;
  desc?: string;
}

/** What listFeeds()/createFeed() return about a feed. */
export interface FeedInfo {
  name: string;
  persist: boolean;
  mode: FeedMode;
  recordSize: number;
  fmt: string;
  fields: FieldInfo[];
  tsCol: string;
  /** Unit of the timestamp column since the epoch ('us' unless the spec said otherwise). */
  tsUnit: TimeUnit;
  chunkSizeBytes: number;
  chunkSizeMb: number;
  retentionHours: number;
  indexPlayback: boolean;
  durability: Durability;
  createdUs: number;
  /** The feed's directory (feed.json, locks, and for persist feeds the chunk files). */
  path: string;
}

export interface RecordFormat {
  fmt: string;
  recordSize: number;
  fields: FieldInfo[];
  tsCol: string;
  tsOffset: number;
}

export interface FeedLifecycle {
  chunkSizeBytes: number;
  chunkSizeMb: number;
  retentionHours: number;
  persist: boolean;
  mode: FeedMode;
  indexPlayback: boolean;
  durability: Durability;
}

export function fieldInfos(layout: RecordLayout): FieldInfo[] {
  return layout.fields.map((f) =>
    f.desc === undefined
      ? { name: f.name, type: f.type, offset: f.offset, size: f.size }
      : { name: f.name, type: f.type, offset: f.offset, size: f.size, desc: f.desc },
  );
}

export function feedInfo(
  config: FeedConfig,
  layout: RecordLayout,
  createdUs: number,
  path: string,
): FeedInfo {
  return {
    name: config.feedName,
    persist: config.persist,
    mode: config.mode,
    recordSize: layout.recordSize,
    fmt: layout.fmt,
    fields: fieldInfos(layout),
    tsCol: config.tsCol,
    tsUnit: config.tsUnit,
    chunkSizeBytes: config.chunkSizeBytes,
    chunkSizeMb: config.chunkSizeBytes / MIB,
    retentionHours: config.retentionHours,
    indexPlayback: config.indexPlayback,
    durability: config.durability,
    createdUs,
    path,
  };
}

export function recordFormat(layout: RecordLayout): RecordFormat {
  return {
    fmt: layout.fmt,
    recordSize: layout.recordSize,
    fields: fieldInfos(layout),
    tsCol: layout.tsCol,
    tsOffset: layout.tsOffset,
  };
}

export function lifecycle(config: FeedConfig): FeedLifecycle {
  return {
    chunkSizeBytes: config.chunkSizeBytes,
    chunkSizeMb: config.chunkSizeBytes / MIB,
    retentionHours: config.retentionHours,
    persist: config.persist,
    mode: config.mode,
    indexPlayback: config.indexPlayback,
    durability: config.durability,
  };
}
