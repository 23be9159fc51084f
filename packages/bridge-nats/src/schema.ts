import type { FeedFieldSpec, FeedInfo, FeedSpecInput, FieldInfo } from '@deepwater/sdk';
import { BridgeError } from './errors.js';

export const SCHEMA_VERSION = 1;

/** What the bridge publishes on the schema subject: enough to decode the records and recreate the feed. */
export interface PublishedSchema {
  version: number;
  feedName: string;
  recordSize: number;
  fmt: string;
  /** Value fields and padding in record order, as a feed spec declares them. */
  fields: FeedFieldSpec[];
  tsCol: string;
  tsUnit: FeedInfo['tsUnit'];
  persist: boolean;
  mode: FeedInfo['mode'];
  chunkSizeBytes: number;
  retentionHours: number;
  indexPlayback: boolean;
}

/** The spec fields of a feed, padding included (FeedInfo lists value fields with their offsets). */
export function specFields(fields: readonly FieldInfo[], recordSize: number): FeedFieldSpec[] {
  const out: FeedFieldSpec[] = [];
  let cursor = 0;
  const pad = (to: number): void => {
    if (to > cursor) out.push({ name: `_pad${cursor}`, type: `_${to - cursor}` });
  };
  for (const field of [...fields].sort((a, b) => a.offset - b.offset)) {
    pad(field.offset);
    const spec: FeedFieldSpec = { name: field.name, type: field.type };
    if (field.desc !== undefined) spec.desc = field.desc;
    if (field.labels !== undefined) spec.labels = field.labels;
    out.push(spec);
    cursor = field.offset + field.size;
  }
  pad(recordSize);
  return out;
}

export function schemaOf(info: FeedInfo): PublishedSchema {
  return {
    version: SCHEMA_VERSION,
    feedName: info.name,
    recordSize: info.recordSize,
    fmt: info.fmt,
    fields: specFields(info.fields, info.recordSize),
    tsCol: info.tsCol,
    tsUnit: info.tsUnit,
    persist: info.persist,
    mode: info.mode,
    chunkSizeBytes: info.chunkSizeBytes,
    retentionHours: info.retentionHours,
    indexPlayback: info.indexPlayback,
  };
}

/** The feed spec a mirror creates its local feed with. */
export function specFromSchema(schema: PublishedSchema, feedName: string): FeedSpecInput {
  return {
    feedName,
    mode: schema.mode,
    fields: schema.fields,
    tsCol: schema.tsCol,
    tsUnit: schema.tsUnit,
    persist: schema.persist,
    chunkSizeBytes: schema.chunkSizeBytes,
    retentionHours: schema.retentionHours,
    indexPlayback: schema.indexPlayback,
  };
}

/** One line naming the layout: `<ddQ price:float64 size:float64 ts:uint64 (ts ts, us)`. */
export function describeLayout(schema: Pick<PublishedSchema, 'fmt' | 'fields' | 'tsCol' | 'tsUnit'>): string {
  const fields = schema.fields.map((f) => `${f.name}:${f.type}`).join(' ');
  return `${schema.fmt} ${fields} (ts ${schema.tsCol}, ${schema.tsUnit})`;
}

/** Same bytes, same meaning: record size, format, field names/types/padding, timestamp column and unit. */
export function sameLayout(a: PublishedSchema, b: PublishedSchema): boolean {
  return describeLayout(a) === describeLayout(b) && a.recordSize === b.recordSize;
}

export function encodeSchema(schema: PublishedSchema): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(schema));
}

export function decodeSchema(data: Uint8Array, stream: string): PublishedSchema {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch (cause) {
    throw new BridgeError('ERR_BRIDGE_STREAM', `Stream "${stream}": the schema message is not JSON`, {
      stream,
      cause,
    });
  }
  const schema = parsed as Partial<PublishedSchema> | null;
  if (
    schema === null ||
    typeof schema !== 'object' ||
    schema.version !== SCHEMA_VERSION ||
    !Array.isArray(schema.fields) ||
    typeof schema.recordSize !== 'number' ||
    typeof schema.fmt !== 'string' ||
    typeof schema.tsCol !== 'string'
  ) {
    throw new BridgeError(
      'ERR_BRIDGE_STREAM',
      `Stream "${stream}": the schema message is not a Deepwater schema of version ${SCHEMA_VERSION}`,
      { stream },
    );
  }
  return schema as PublishedSchema;
}
