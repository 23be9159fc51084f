import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StoredMsg,
  type StreamInfo,
} from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { BridgeError } from './errors.js';
import type { FeedSubjects } from './naming.js';
import { HEADER_COUNT, HEADER_FIRST_SEQ } from './naming.js';
import { decodeSchema, type PublishedSchema } from './schema.js';

const NANOS_PER_HOUR = 3_600_000_000_000;

export interface StreamLimits {
  /** Replicas (R1 by default; R3 on a 3-node cluster). */
  replicas?: number;
  /** Largest message, bytes (default 1 MiB, the server's default max payload). */
  maxMessageBytes?: number;
  /** Oldest message kept, hours (default: the feed's retentionHours). */
  maxAgeHours?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** Creates the stream if missing (limits from the feed's retention); an existing stream is used as is. */
export async function ensureStream(
  jsm: JetStreamManager,
  subjects: FeedSubjects,
  schema: PublishedSchema,
  limits: StreamLimits = {},
): Promise<StreamInfo> {
  try {
    const info = await jsm.streams.info(subjects.stream);
    if (!(info.config.subjects ?? []).includes(subjects.all)) {
      throw new BridgeError(
        'ERR_BRIDGE_STREAM',
        `Stream "${subjects.stream}" captures ${JSON.stringify(info.config.subjects ?? [])}, not ${subjects.all}: ` +
          `it belongs to another feed or base id`,
        { feed: schema.feedName, stream: subjects.stream },
      );
    }
    return info;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const maxAgeHours = limits.maxAgeHours ?? schema.retentionHours;
  try {
    return await jsm.streams.add({
      name: subjects.stream,
      subjects: [subjects.all],
      description: `Deepwater feed "${schema.feedName}" (${schema.fmt}, ${schema.recordSize} B records)`,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: limits.replicas ?? 1,
      max_age: Math.round(maxAgeHours * NANOS_PER_HOUR),
      max_msg_size: limits.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      allow_direct: true,
    });
  } catch (error) {
    // Another bridge created it in between.
    if (error instanceof JetStreamApiError && /already in use/i.test(error.message)) {
      return await jsm.streams.info(subjects.stream);
    }
    // The server refused (overlapping subjects, limits, replicas): retrying cannot help.
    if (error instanceof JetStreamApiError) {
      throw new BridgeError(
        'ERR_BRIDGE_STREAM',
        `Cannot create stream "${subjects.stream}" for subjects ${subjects.all}: ${error.message}`,
        { feed: schema.feedName, stream: subjects.stream, cause: error },
      );
    }
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.status === 404 ||
      error.code === JetStreamApiCodes.StreamNotFound ||
      error.code === JetStreamApiCodes.NoMessageFound)
  );
}

export async function requireStream(jsm: JetStreamManager, stream: string): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(stream);
  } catch (error) {
    if (isNotFound(error)) {
      throw new BridgeError('ERR_BRIDGE_STREAM', `Stream "${stream}" does not exist on the server`, {
        stream,
      });
    }
    throw error;
  }
}

async function lastBySubject(
  jsm: JetStreamManager,
  stream: string,
  subject: string,
): Promise<StoredMsg | null> {
  try {
    return await jsm.streams.getMessage(stream, { last_by_subj: subject });
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export async function readSchema(
  jsm: JetStreamManager,
  subjects: FeedSubjects,
): Promise<PublishedSchema | undefined> {
  return (await readSchemaMessage(jsm, subjects))?.schema;
}

/** The stream's newest schema message, with when the server stored it. */
export async function readSchemaMessage(
  jsm: JetStreamManager,
  subjects: FeedSubjects,
): Promise<{ schema: PublishedSchema; storedAt: Date } | undefined> {
  const message = await lastBySubject(jsm, subjects.stream, subjects.schema);
  return message === null
    ? undefined
    : { schema: decodeSchema(message.data, subjects.stream), storedAt: message.time };
}

/** Seqs of the records a batch message holds: [firstSeq, firstSeq + count). */
export interface BatchSpan {
  firstSeq: number;
  count: number;
}

export function spanOf(headers: MsgHdrs | undefined, streamSeq: number, stream: string): BatchSpan {
  const firstSeq = Number(headers?.get(HEADER_FIRST_SEQ));
  const count = Number(headers?.get(HEADER_COUNT));
  if (!Number.isSafeInteger(firstSeq) || firstSeq < 0 || !Number.isSafeInteger(count) || count < 0) {
    throw new BridgeError(
      'ERR_BRIDGE_STREAM',
      `Stream "${stream}": message ${streamSeq} has no valid ${HEADER_FIRST_SEQ}/${HEADER_COUNT} headers`,
      { stream },
    );
  }
  return { firstSeq, count };
}

/** The seq after the last record the stream holds, or undefined when it holds no record batch. */
export async function streamNextSeq(
  jsm: JetStreamManager,
  subjects: FeedSubjects,
): Promise<number | undefined> {
  const message = await lastBySubject(jsm, subjects.stream, subjects.records);
  if (message === null) return undefined;
  const span = spanOf(message.header, message.seq, subjects.stream);
  return span.firstSeq + span.count;
}

/**
 * The stream sequence of the record batch holding feed seq `seq` (or the first batch after it),
 * by binary search over the batches (their first seqs increase with the stream sequence).
 * Undefined when every batch ends before `seq`.
 */
export async function findBatchHolding(
  jsm: JetStreamManager,
  subjects: FeedSubjects,
  seq: number,
): Promise<{ streamSeq: number; span: BatchSpan } | undefined> {
  const info = await jsm.streams.info(subjects.stream);
  let lo = info.state.first_seq;
  let hi = info.state.last_seq;
  let found: { streamSeq: number; span: BatchSpan } | undefined;
  const batchAtOrAfter = async (streamSeq: number) => {
    try {
      const m = await jsm.direct.getMessage(subjects.stream, {
        seq: streamSeq,
        next_by_subj: subjects.records,
      });
      return m === null ? undefined : { streamSeq: m.seq, span: spanOf(m.header, m.seq, subjects.stream) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const batch = await batchAtOrAfter(mid);
    if (batch === undefined || batch.streamSeq > hi) {
      hi = mid - 1;
      continue;
    }
    if (batch.span.firstSeq + batch.span.count <= seq) {
      lo = batch.streamSeq + 1;
    } else {
      found = batch;
      hi = mid - 1;
    }
  }
  return found;
}
