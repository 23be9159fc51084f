import { setTimeout as sleep } from 'node:timers/promises';
import { Platform, type Reader, type RecordStream } from '@deepwater/sdk';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type PubAck,
} from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { type ConnectOptions, connectWithBackoff, countReconnects, serverList } from './connection.js';
import { BridgeError, messageOf } from './errors.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  ensureStream,
  readSchemaMessage,
  type StreamLimits,
  streamNextSeq,
} from './jetstream-stream.js';
import {
  defaultBaseId,
  type FeedSubjects,
  feedSubjects,
  HEADER_COUNT,
  HEADER_FIRST_SEQ,
  HEADER_RECORD_SIZE,
} from './naming.js';
import { timestampReader } from './record-time.js';
import { describeLayout, encodeSchema, type PublishedSchema, sameLayout, schemaOf } from './schema.js';
import { type BridgeStats, initialStats, RateMeter, writeStatusFile } from './stats.js';

export interface ReplicateOptions extends Omit<ConnectOptions, 'signal'> {
  /** The Deepwater base holding the feed. */
  basePath: string;
  feed: string;
  /** Names this base in subjects (`deepwater.<baseId>.<feed>.*`); default: the host name. */
  baseId?: string;
  /** Stream name; default `DW_<BASEID>_<FEED>`. */
  stream?: string;
  /** Where to start when the stream holds no record of the feed yet (default: the oldest record held). */
  fromSeq?: number;
  /** As fromSeq, by timestamp: the first record with ts >= from. */
  from?: number;
  /** Resolve `done` once everything the feed held at start is in the stream. */
  untilCaughtUp?: boolean;
  /** Publishes awaiting their acknowledgement, at most (default 32). */
  maxInFlight?: number;
  /** Bytes of records per message, at most (default 256 KiB, never above the stream's max message size). */
  batchBytes?: number;
  /** Acknowledgement timeout per publish, ms (default 5000). */
  ackTimeoutMs?: number;
  /** Used when this replicator creates the stream. */
  limits?: StreamLimits;
  /** Stats are written here (atomically) every statusEveryMs (default 1000). */
  statusFile?: string;
  statusEveryMs?: number;
  /** Human-readable progress notes (resume point, retries). */
  onLog?: (message: string) => void;
}

export interface BridgeHandle {
  readonly stats: BridgeStats;
  /** Settles when the bridge stops: resolves after close() or on catching up with untilCaughtUp; rejects on a fatal error. */
  readonly done: Promise<void>;
  /** Stops reading, awaits the publishes/writes in flight, closes the connection. */
  close(): Promise<void>;
}

interface InFlight {
  firstSeq: number;
  count: number;
  bytes: number;
  lastTsUs: number;
  settled: boolean;
  ack?: PubAck;
  error?: unknown;
  promise: Promise<void>;
}

const RETRY_BACKOFF_MS = 250;
const MAX_RETRY_BACKOFF_MS = 5000;

/** Follows a local feed (history, then live) into a JetStream stream; resumes after the last seq the stream holds. */
export async function replicateFeed(options: ReplicateOptions): Promise<BridgeHandle> {
  const replicator = new Replicator(options);
  await replicator.start();
  return replicator;
}

class Replicator implements BridgeHandle {
  readonly stats: BridgeStats;
  done!: Promise<void>;
  readonly #options: ReplicateOptions;
  readonly #subjects: FeedSubjects;
  readonly #abort = new AbortController();
  readonly #meter = new RateMeter();
  #platform!: Platform;
  #reader!: Reader;
  #schema!: PublishedSchema;
  #readTs!: (bytes: Uint8Array, offset: number) => number;
  #nc!: NatsConnection;
  #js!: JetStreamClient;
  #jsm!: JetStreamManager;
  #source: RecordStream<Uint8Array> | undefined;
  #newestAckedTsUs: number | undefined;
  #statusTimer: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(options: ReplicateOptions) {
    this.#options = options;
    this.#subjects = feedSubjects(options.baseId ?? defaultBaseId(), options.feed, options.stream);
    this.stats = initialStats(
      'replicate',
      options.feed,
      this.#subjects.stream,
      serverList(options.servers).join(','),
      options.statusEveryMs,
    );
  }

  async start(): Promise<void> {
    const { basePath, feed } = this.#options;
    this.#platform = new Platform(basePath);
    try {
      const info = this.#platform.describeFeed(feed);
      this.#schema = schemaOf(info);
      this.#readTs = timestampReader(info);
      this.#reader = this.#platform.createReader(feed, { int64: 'bigint' });
      this.#nc = await connectWithBackoff({ ...this.#options, signal: this.#abort.signal });
    } catch (error) {
      this.#platform.close();
      throw error;
    }
    countReconnects(this.#nc, () => {
      this.stats.reconnects++;
    });
    this.#js = jetstream(this.#nc);
    this.#jsm = await jetstreamManager(this.#nc, { checkAPI: false });
    this.#statusTimer = setInterval(() => this.#refreshStats(), this.#options.statusEveryMs ?? 1000);
    this.done = this.#run()
      .then(
        () => {
          this.stats.state = 'stopped';
        },
        (error: unknown) => {
          this.stats.state = 'failed';
          this.stats.lastError = messageOf(error);
          throw error;
        },
      )
      .finally(() => this.#shutdown());
    // An unobserved rejection must not crash the process before the caller awaits done.
    this.done.catch(() => {});
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#abort.abort();
    this.#source?.close();
    await this.done.catch(() => {});
  }

  #log(message: string): void {
    this.#options.onLog?.(message);
  }

  #refreshStats(): void {
    try {
      if (!this.#reader.closed) this.stats.sourceNextSeq = this.#reader.nextSeq();
    } catch {
      // The feed may be rotating or gone; the next tick tries again.
    }
    this.#meter.update(this.stats, this.#newestAckedTsUs);
    this.stats.caughtUp = this.stats.recordsBehind === 0;
    if (this.#options.statusFile !== undefined)
      writeStatusFile(this.#options.statusFile, this.stats, (m) => this.#log(m));
  }

  async #run(): Promise<void> {
    const target = this.#options.untilCaughtUp ? this.#reader.nextSeq() : undefined;
    let backoff = RETRY_BACKOFF_MS;
    while (!this.#closing) {
      const before = this.stats.records;
      try {
        await this.#session(target);
        return;
      } catch (error) {
        if (error instanceof BridgeError || this.#closing) throw error;
        if (this.stats.records > before) backoff = RETRY_BACKOFF_MS;
        this.stats.retries++;
        this.stats.state = 'retrying';
        this.stats.lastError = messageOf(error);
        this.#log(
          `publish failed (${messageOf(error)}); resynchronising with stream "${this.#subjects.stream}" in ${backoff} ms`,
        );
        await sleep(backoff, undefined, { signal: this.#abort.signal }).catch(() => {});
        backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
      }
    }
  }

  /** One pass: read the stream's position, then publish until closed, caught up, or a failure. */
  async #session(target: number | undefined): Promise<void> {
    const info = await ensureStream(this.#jsm, this.#subjects, this.#schema, this.#options.limits);
    let lastStreamSeq = info.state.last_seq;
    const maxMessageBytes =
      info.config.max_msg_size > 0 ? info.config.max_msg_size : DEFAULT_MAX_MESSAGE_BYTES;
    const recordSize = this.#schema.recordSize;
    // Headers take a few hundred bytes of the message.
    const batchBytes = Math.min(this.#options.batchBytes ?? 256 * 1024, maxMessageBytes - 1024);
    const batchRecords = Math.max(1, Math.floor(batchBytes / recordSize));

    // The schema message must outlive the stream's max age, or a mirror started later could not
    // decode: it is published again once half the max age has passed.
    const maxAgeMs = info.config.max_age > 0 ? info.config.max_age / 1e6 : Number.POSITIVE_INFINITY;
    const published = await readSchemaMessage(this.#jsm, this.#subjects);
    const held = await streamNextSeq(this.#jsm, this.#subjects);
    if (published !== undefined && held !== undefined && !sameLayout(published.schema, this.#schema)) {
      throw new BridgeError(
        'ERR_BRIDGE_SCHEMA_MISMATCH',
        `Feed "${this.#options.feed}" has schema ${describeLayout(this.#schema)}, but stream ` +
          `"${this.#subjects.stream}" holds records of ${describeLayout(published.schema)}; nothing was published ` +
          '(replicate into another stream, or delete the stream)',
        { feed: this.#options.feed, stream: this.#subjects.stream },
      );
    }
    // Published again when missing or changed (labels, retention: the layout is the same).
    let schemaDueAt =
      published === undefined || JSON.stringify(published.schema) !== JSON.stringify(this.#schema)
        ? 0
        : published.storedAt.getTime() + maxAgeMs / 2;
    const publishSchemaIfDue = async (): Promise<void> => {
      if (Date.now() < schemaDueAt) return;
      await this.#js
        .publish(this.#subjects.schema, encodeSchema(this.#schema), {
          expect: { lastSequence: lastStreamSeq },
          timeout: this.#options.ackTimeoutMs ?? 5000,
        })
        .catch((error: unknown) => this.#classify(error));
      lastStreamSeq++;
      schemaDueAt = Date.now() + maxAgeMs / 2;
    };
    await publishSchemaIfDue();

    const start = held ?? this.#initialSeq();
    this.stats.nextSeq = start;
    this.#log(
      held === undefined
        ? `stream "${this.#subjects.stream}" holds no record of "${this.#options.feed}": starting at seq ${start}`
        : `stream "${this.#subjects.stream}" holds seqs up to ${start - 1}: resuming at seq ${start}`,
    );
    const source = this.#reader.stream({ fromSeq: start, format: 'raw' });
    this.#source = source;
    this.stats.state = 'running';
    const inFlight: InFlight[] = [];
    const scratch = new Uint8Array(batchRecords * recordSize);
    let carried: { record: Uint8Array; seq: number } | undefined;
    // A next() parked on the feed while acks were awaited too, and what it brought (see below).
    let parked: Promise<void> | undefined;
    let woke: { record?: Uint8Array; seq: number; error?: unknown } | undefined;
    const maxInFlight = this.#options.maxInFlight ?? 32;
    try {
      for (;;) {
        this.#settleHead(inFlight);
        if (target !== undefined && inFlight.length === 0 && this.stats.nextSeq >= target) {
          this.stats.caughtUp = true;
          return;
        }
        let first: Uint8Array | undefined;
        let firstSeq = -1;
        if (carried !== undefined) {
          ({ record: first, seq: firstSeq } = carried);
          carried = undefined;
        } else if (woke !== undefined) {
          const { record, seq, error } = woke;
          woke = undefined;
          parked = undefined;
          if (error !== undefined) throw error;
          if (record === undefined) return; // the stream was closed
          first = record;
          firstSeq = seq;
        } else if (parked === undefined) {
          first = source.tryNext();
          firstSeq = source.lastSeq;
        }
        if (first === undefined) {
          if (this.#closing) return;
          // Nothing to send: park on the feed and, while publishes are in flight, on the oldest ack
          // too, whichever comes first. A record written while acks are awaited goes out at once in
          // its own message rather than after them: send what there is now, batch what piles up.
          parked ??= source.next().then(
            (record) => {
              // A copy: the raw view is the feed's mapping, and this may wait across a rotation.
              woke = { seq: source.lastSeq, ...(record === undefined ? {} : { record: record.slice() }) };
            },
            (error: unknown) => {
              woke = { seq: -1, error };
            },
          );
          const head = inFlight[0];
          await (head === undefined ? parked : Promise.race([parked, head.promise]));
          continue;
        }
        const buffer = scratch;
        buffer.set(first, 0);
        let count = 1;
        while (count < batchRecords) {
          const record = source.tryNext();
          if (record === undefined) break;
          if (source.lastSeq !== firstSeq + count) {
            // Records were lost (ring lapped, retention): a message holds consecutive seqs only.
            carried = { record: record.slice(), seq: source.lastSeq };
            break;
          }
          buffer.set(record, count * recordSize);
          count++;
        }
        this.stats.lostRecords = this.#reader.stats.lostRecords;
        // A message of its own size: a lone record costs 24 bytes, not a zeroed 256 KiB (500 of those
        // a second kept the collector busy). The scratch is reused: the client sends the copy later.
        const payload = buffer.slice(0, count * recordSize);
        if (Date.now() >= schemaDueAt) {
          // Rare (hours apart): let the batches in flight land so the schema's expected sequence is known.
          await Promise.all(inFlight.map((e) => e.promise));
          this.#settleHead(inFlight);
          await publishSchemaIfDue();
        }
        inFlight.push(this.#publish(payload, firstSeq, count, lastStreamSeq));
        lastStreamSeq++;
        while (inFlight.length >= maxInFlight) {
          await inFlight[0]?.promise;
          this.#settleHead(inFlight);
        }
      }
    } finally {
      // Let what is in flight land (or fail) before the next session reads the stream's position.
      // (A failed publish leaves later ones in flight; they must land before the position is read again.)
      await Promise.all(inFlight.map((e) => e.promise));
      source.close();
      this.#source = undefined;
    }
  }

  #initialSeq(): number {
    if (this.#options.fromSeq !== undefined) return this.#options.fromSeq;
    if (this.#options.from !== undefined) return this.#reader.seqAt(this.#options.from);
    return 0;
  }

  #publish(payload: Uint8Array, firstSeq: number, count: number, expectLastSeq: number): InFlight {
    const h = headers();
    h.set(HEADER_FIRST_SEQ, String(firstSeq));
    h.set(HEADER_COUNT, String(count));
    h.set(HEADER_RECORD_SIZE, String(this.#schema.recordSize));
    const entry: InFlight = {
      firstSeq,
      count,
      bytes: payload.byteLength,
      lastTsUs: this.#readTs(payload, (count - 1) * this.#schema.recordSize),
      settled: false,
      promise: Promise.resolve(),
    };
    entry.promise = this.#js
      .publish(this.#subjects.records, payload, {
        msgID: `${this.#subjects.stream}:${firstSeq}:${count}`,
        headers: h,
        expect: { lastSequence: expectLastSeq },
        timeout: this.#options.ackTimeoutMs ?? 5000,
      })
      .then(
        (ack) => {
          entry.ack = ack;
          entry.settled = true;
        },
        (error: unknown) => {
          entry.error = error;
          entry.settled = true;
        },
      );
    return entry;
  }

  /** Accounts the settled publishes at the head of the queue, in order; throws the first failure. */
  #settleHead(inFlight: InFlight[]): void {
    while (inFlight.length > 0 && inFlight[0]?.settled) {
      const entry = inFlight.shift() as InFlight;
      if (entry.error !== undefined || entry.ack?.duplicate) {
        this.#classify(entry.error ?? new Error('duplicate'), entry);
      }
      this.stats.records += entry.count;
      this.stats.bytes += entry.bytes;
      this.stats.messages++;
      this.stats.nextSeq = entry.firstSeq + entry.count;
      this.#newestAckedTsUs = entry.lastTsUs;
    }
  }

  /** A guard refusal or a duplicate means another publisher: fatal. Anything else is retried. */
  #classify(error: unknown, entry?: InFlight): never {
    const conflict =
      (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) ||
      entry?.ack?.duplicate === true;
    if (conflict) {
      throw new BridgeError(
        'ERR_BRIDGE_CONFLICT',
        `Feed "${this.#options.feed}": stream "${this.#subjects.stream}" was written by another publisher` +
          `${entry === undefined ? '' : ` while seq ${entry.firstSeq} was in flight`}` +
          ' (is a second replicator running on this feed?); stopping',
        { feed: this.#options.feed, stream: this.#subjects.stream, cause: error },
      );
    }
    throw error;
  }

  async #shutdown(): Promise<void> {
    if (this.#statusTimer !== undefined) clearInterval(this.#statusTimer);
    try {
      this.#refreshStats();
    } catch {
      // Best effort: the status file's directory may be gone.
    }
    await this.#nc.drain().catch(() => {});
    this.#platform.close();
  }
}
