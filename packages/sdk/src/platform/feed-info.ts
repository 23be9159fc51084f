import type { FieldType, RecordLayout } from '@deepwater/schema-wasm';
import type { TimeUnit } from '../reader/time-bound.js';
import type { Durability } from '../writer/writer.js';
import type { FeedConfig, FeedFieldSpec, FeedMode } from './feed-spec.js';
import { MIB } from './feed-spec.js';
import type { FieldLabels } from './field-labels.js';

export interface FieldInfo {
  name: string;
  type: FieldType;
  offset: number;
  size: number;
  desc?: string;
  /** Names of the field's values (from the feed spec), e.g. { "1": "SEQUENCE_GAP" }. */
  labels?: FieldLabels;
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

export function fieldInfos(layout: RecordLayout, specs: readonly FeedFieldSpec[] = []): FieldInfo[] {
  return layout.fields.map((f) => {
    const info: FieldInfo =
      f.desc === undefined
        ? { name: f.name, type: f.type, offset: f.offset, size: f.size }
        : { name: f.name, type: f.type, offset: f.offset, size: f.size, desc: f.desc };
    const labels = specs.find((s) => s.name === f.name)?.labels;
    return labels === undefined ? info : { ...info, labels };
  });
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
    fields: fieldInfos(layout, config.fields),
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

export function recordFormat(layout: RecordLayout, specs: readonly FeedFieldSpec[] = []): RecordFormat {
  return {
    fmt: layout.fmt,
    recordSize: layout.recordSize,
    fields: fieldInfos(layout, specs),
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
