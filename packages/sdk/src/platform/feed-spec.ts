import { DeepwaterTypeError } from '@deepwater/errors';
import type { FieldSpec } from '@deepwater/schema-wasm';
import { DeepwaterError } from '../errors.js';
import { didYouMean } from '../format/suggest.js';
import { TIME_UNITS, type TimeUnit } from '../reader/time-bound.js';
import { DURABILITIES, type Durability } from '../writer/writer.js';
import { feedNameProblem } from './feed-name.js';
import { checkFieldLabels, type FieldLabels } from './field-labels.js';

export type FeedMode = 'UF' | 'IF';

/** A field as a feed spec declares it: the schema's field, optionally with value labels (field-labels.ts). */
export interface FeedFieldSpec extends FieldSpec {
  labels?: FieldLabels;
}

/** A feed spec as users write it: camelCase, or the Python seed's snake_case keys. */
export interface FeedSpecInput {
  feedName?: string;
  feed_name?: string;
  mode?: FeedMode;
  fields: readonly FeedFieldSpec[];
  tsCol?: string;
  ts_col?: string;
  /** Unit of the timestamp column: 'us' (default), 'ns', 'ms' or 's' since the epoch. */
  tsUnit?: TimeUnit;
  ts_unit?: TimeUnit;
  persist?: boolean;
  chunkSizeMb?: number;
  chunk_size_mb?: number;
  chunkSizeBytes?: number;
  chunk_size_bytes?: number;
  retentionHours?: number;
  retention_hours?: number;
  indexPlayback?: boolean;
  index_playback?: boolean;
  durability?: Durability;
}

/** A validated spec with defaults applied: what feed.json stores. */
export interface FeedConfig {
  feedName: string;
  mode: FeedMode;
  fields: FeedFieldSpec[];
  tsCol: string;
  /** Unit of the timestamp column since the Unix epoch; a feed.json without it means 'us'. */
  tsUnit: TimeUnit;
  persist: boolean;
  /** Bytes of record data per chunk (persist) or the ring's requested record area (ring). */
  chunkSizeBytes: number;
  retentionHours: number;
  indexPlayback: boolean;
  durability: Durability;
}

export const MIB = 1_048_576;
/**
 * 63, not 64: a chunk is mapped whole (4 KiB header + data) as one external ArrayBuffer, and V8
 * (Node 20/22) starts a full garbage collection whenever one external buffer of more than
 * 64 MiB - 104 bytes is created (its count may rise 64 MiB above its low point; Node adds 104
 * bytes of its own per buffer). With 64 MiB chunks every chunk mapped (writer rotation, a
 * reader or replay reaching the next chunk) cost one: 3 per 10 M records of 24 B, 5-9% of a raw
 * or columnar replay's CPU (bench/ab/gc-map.mjs). A feed's chunk size is stored in its feed.json,
 * so existing feeds keep theirs.
 */
export const DEFAULT_CHUNK_SIZE_MB = 63;
export const DEFAULT_RETENTION_HOURS = 72;
/** Chunks are mapped whole; 16 GiB keeps a chunk's record count well inside 32 bits for any record size. */
export const MAX_CHUNK_SIZE_BYTES = 16 * 1024 * MIB;

const ALIASES: Readonly<Record<string, string>> = {
  feed_name: 'feedName',
  ts_col: 'tsCol',
  ts_unit: 'tsUnit',
  chunk_size_mb: 'chunkSizeMb',
  chunk_size_bytes: 'chunkSizeBytes',
  retention_hours: 'retentionHours',
  index_playback: 'indexPlayback',
};
const KEYS = [
  'feedName',
  'mode',
  'fields',
  'tsCol',
  'tsUnit',
  'persist',
  'chunkSizeMb',
  'chunkSizeBytes',
  'retentionHours',
  'indexPlayback',
  'durability',
];

/** A value as the user gave it: JSON would print NaN and ±Infinity as null and throw on a bigint. */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined)
    return typeof value === 'bigint' ? `${value}n` : String(value);
  return JSON.stringify(value) ?? String(value);
}

function invalid(feed: string | undefined, message: string): DeepwaterError {
  const prefix = feed === undefined ? 'Invalid feed spec' : `Invalid feed spec for "${feed}"`;
  return new DeepwaterError('ERR_INVALID_SPEC', `${prefix}: ${message}`, feed === undefined ? {} : { feed });
}

/**
 * Validates the spec's own keys and values (not the schema: compileLayout does that) and applies defaults.
 * Throws DeepwaterError ERR_INVALID_SPEC naming the key and value.
 */
export function resolveFeedSpec(input: unknown): FeedConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new DeepwaterTypeError(
      `createFeed expects a feed spec object, got ${input === null ? 'null' : typeof input}`,
    );
  }
  const raw = input as Record<string, unknown>;
  const nameForErrors =
    typeof raw.feedName === 'string'
      ? raw.feedName
      : typeof raw.feed_name === 'string'
        ? raw.feed_name
        : undefined;
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const canonical = ALIASES[key] ?? key;
    if (!KEYS.includes(canonical)) {
      throw invalid(
        nameForErrors,
        `unknown key "${key}"${didYouMean(key, [...KEYS, ...Object.keys(ALIASES)])}`,
      );
    }
    if (canonical in spec && spec[canonical] !== value) {
      throw invalid(
        nameForErrors,
        `"${key}" and its alias disagree (${JSON.stringify(spec[canonical])} vs ${JSON.stringify(value)})`,
      );
    }
    spec[canonical] = value;
  }

  const feedName = spec.feedName;
  const nameProblem = feedNameProblem(feedName);
  if (nameProblem !== undefined)
    throw invalid(nameForErrors, feedName === undefined ? 'feedName is required' : nameProblem);
  const feed = feedName as string;

  const mode = spec.mode ?? 'UF';
  if (mode !== 'UF' && mode !== 'IF') throw invalid(feed, `mode must be "UF" or "IF", got ${shown(mode)}`);

  if (!Array.isArray(spec.fields))
    throw invalid(feed, `fields must be an array of { name, type }, got ${typeof spec.fields}`);
  const fields: FeedFieldSpec[] = spec.fields.map((field: unknown, i: number) => {
    if (field === null || typeof field !== 'object')
      throw invalid(feed, `fields[${i}] must be an object { name, type }`);
    const { name, type, desc, labels } = field as Record<string, unknown>;
    if (typeof name !== 'string') throw invalid(feed, `fields[${i}].name must be a string`);
    if (typeof type !== 'string') throw invalid(feed, `field "${name}" needs a string type`);
    if (desc !== undefined && typeof desc !== 'string')
      throw invalid(feed, `field "${name}": desc must be a string`);
    const resolved: FeedFieldSpec = desc === undefined ? { name, type } : { name, type, desc };
    if (labels === undefined) return resolved;
    const checked = checkFieldLabels(type, labels);
    if (typeof checked === 'string') throw invalid(feed, `field "${name}": ${checked}`);
    return { ...resolved, labels: checked };
  });

  const tsCol = spec.tsCol;
  if (typeof tsCol !== 'string' || tsCol.length === 0)
    throw invalid(feed, 'tsCol (the timestamp field) is required');

  const tsUnit = spec.tsUnit ?? 'us';
  if (!TIME_UNITS.includes(tsUnit as TimeUnit)) {
    throw invalid(
      feed,
      `tsUnit must be one of ${TIME_UNITS.join(', ')} (the timestamp column's unit since the epoch), got ${JSON.stringify(tsUnit)}${typeof tsUnit === 'string' ? didYouMean(tsUnit, TIME_UNITS) : ''}`,
    );
  }

  const persist = spec.persist ?? true;
  if (typeof persist !== 'boolean') throw invalid(feed, `persist must be a boolean, got ${shown(persist)}`);

  let chunkSizeBytes: number;
  if (spec.chunkSizeBytes !== undefined) {
    const bytes = spec.chunkSizeBytes;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) {
      throw invalid(feed, `chunkSizeBytes must be a positive integer, got ${shown(bytes)}`);
    }
    chunkSizeBytes = bytes;
    if (spec.chunkSizeMb !== undefined && Math.round((spec.chunkSizeMb as number) * MIB) !== bytes) {
      throw invalid(feed, `chunkSizeMb (${spec.chunkSizeMb}) and chunkSizeBytes (${bytes}) disagree`);
    }
  } else {
    const mb = spec.chunkSizeMb ?? DEFAULT_CHUNK_SIZE_MB;
    if (typeof mb !== 'number' || !Number.isFinite(mb) || mb <= 0) {
      throw invalid(feed, `chunkSizeMb must be a positive number of MiB, got ${shown(mb)}`);
    }
    chunkSizeBytes = Math.max(1, Math.round(mb * MIB));
  }
  if (chunkSizeBytes > MAX_CHUNK_SIZE_BYTES) {
    throw invalid(
      feed,
      `chunkSizeMb ${chunkSizeBytes / MIB} exceeds the maximum of ${MAX_CHUNK_SIZE_BYTES / MIB}`,
    );
  }

  const retentionHours = spec.retentionHours ?? DEFAULT_RETENTION_HOURS;
  if (typeof retentionHours !== 'number' || !Number.isFinite(retentionHours) || retentionHours < 0) {
    throw invalid(
      feed,
      `retentionHours must be a number >= 0 (0 = keep forever), got ${shown(retentionHours)}`,
    );
  }

  const indexPlayback = spec.indexPlayback ?? false;
  if (typeof indexPlayback !== 'boolean')
    throw invalid(feed, `indexPlayback must be a boolean, got ${shown(indexPlayback)}`);
  if (indexPlayback && mode !== 'IF') throw invalid(feed, 'indexPlayback requires mode "IF"');

  const durability = spec.durability ?? 'page-cache';
  if (!DURABILITIES.includes(durability as Durability)) {
    throw invalid(
      feed,
      `durability must be one of ${DURABILITIES.join(', ')}, got ${JSON.stringify(durability)}${typeof durability === 'string' ? didYouMean(durability, DURABILITIES) : ''}`,
    );
  }

  return {
    feedName: feed,
    mode,
    fields,
    tsCol,
    tsUnit: tsUnit as TimeUnit,
    persist,
    chunkSizeBytes,
    retentionHours,
    indexPlayback,
    durability: durability as Durability,
  };
}

/** The first setting that differs between two configs of the same feed, or undefined when equivalent. */
export function configDifference(existing: FeedConfig, requested: FeedConfig): string | undefined {
  const schema = schemaDifference(existing, requested);
  if (schema !== undefined) return schema;
  if (existing.persist !== requested.persist) {
    return `Cannot change persist flag for existing feed (existing ${existing.persist}, requested ${requested.persist})`;
  }
  for (const key of [
    'tsCol',
    'tsUnit',
    'mode',
    'chunkSizeBytes',
    'retentionHours',
    'indexPlayback',
    'durability',
  ] as const) {
    if (existing[key] !== requested[key]) {
      return `${key} differs (existing ${JSON.stringify(existing[key])}, requested ${JSON.stringify(requested[key])})`;
    }
  }
  return undefined;
}

/** How the record schemas (field names and types, timestamp column) of two configs differ, or undefined. */
export function schemaDifference(existing: FeedConfig, requested: FeedConfig): string | undefined {
  const schemaOf = (c: FeedConfig) => JSON.stringify(c.fields.map((f) => [f.name, f.type]));
  if (schemaOf(existing) !== schemaOf(requested)) {
    return `fields differ (existing ${schemaOf(existing)}, requested ${schemaOf(requested)})`;
  }
  if (existing.tsCol !== requested.tsCol) {
    return `tsCol differs (existing ${JSON.stringify(existing.tsCol)}, requested ${JSON.stringify(requested.tsCol)})`;
  }
  return undefined;
}
