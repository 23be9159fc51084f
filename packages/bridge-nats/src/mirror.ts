import { setTimeout as sleep } from 'node:timers/promises';
import { Platform, type Reader, type Writer } from '@deepwater/sdk';
import {
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type ConnectOptions, connectWithBackoff, countReconnects, serverList } from './connection.js';
import { BridgeError, messageOf } from './errors.js';
import { createFeedSink, type FeedSink } from './feed-sink.js';
import { findBatchHolding, readSchema, requireStream, spanOf, streamNextSeq } from './jetstream-stream.js';
import { type MirrorState, readMirrorState, writeMirrorState } from './mirror-state.js';
import type { FeedSubjects } from './naming.js';
import { timestampReader } from './record-time.js';
import type { BridgeHandle } from './replicate.js';
import { describeLayout, type PublishedSchema, sameLayout, schemaOf, specFromSchema } from './schema.js';
import { type BridgeStats, initialStats, RateMeter, writeStatusFile } from './stats.js';

const RETRY_BACKOFF_MS = 250;
const MAX_RETRY_BACKOFF_MS = 5000;

export interface MirrorOptions extends Omit<ConnectOptions, 'signal'> {
  /** The local Deepwater base the mirror writes. */
  basePath: string;
  /** The local feed (created from the stream's schema when missing). */
  feed: string;
  stream: string;
  /** Resolve `done` once the local feed holds everything the stream held at start. */
  untilCaughtUp?: boolean;
  /**
   * Records the mirror needs that the stream no longer holds (expired by max age, or lost by a
   * lapped ring source): 'skip' (default) continues after them and counts them in stats.lostRecords;
   * 'throw' stops with ERR_BRIDGE_GAP.
   */
  onGap?: 'skip' | 'throw';
  statusFile?: string;
  statusEveryMs?: number;
  onLog?: (message: string) => void;
}

/** Consumes a JetStream stream written by replicateFeed into a local feed with the same schema. */
export async function mirrorStream(options: MirrorOptions): Promise<BridgeHandle> {
  const mirror = new Mirror(options);
  await mirror.start();
  return mirror;
}

/** The subjects of a stream the bridge created: its one subject is `deepwater.<base-id>.<feed>.*`. */
function subjectsOf(info: StreamInfo): FeedSubjects {
  const stream = info.config.name;
  const all = info.config.subjects?.find((s) => s.startsWith('deepwater.') && s.endsWith('.*'));
  if (all === undefined) {
    throw new BridgeError(
      'ERR_BRIDGE_STREAM',
      `Stream "${stream}" was not created by deepwater-bridge (no deepwater.<base-id>.<feed>.* subject)`,
      { stream },
    );
  }
  const prefix = all.slice(0, -2);
  return { records: `${prefix}.records`, schema: `${prefix}.schema`, all, stream };
}

const TRANSIENT_ATTEMPTS = 8;

/** Runs fn again (back-off 250 ms doubling) while it fails with anything but a BridgeError. */
async function retryTransient<T>(
  fn: () => Promise<T>,
  onRetry: (attempt: number, error: unknown) => void,
): Promise<T> {
  let delay = RETRY_BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof BridgeError || attempt >= TRANSIENT_ATTEMPTS) throw error;
      onRetry(attempt, error);
      await sleep(delay);
      delay = Math.min(delay * 2, MAX_RETRY_BACKOFF_MS);
    }
  }
}

class Mirror implements BridgeHandle {
  readonly stats: BridgeStats;
  done!: Promise<void>;
  readonly #options: MirrorOptions;
  readonly #abort = new AbortController();
  readonly #meter = new RateMeter();
  #platform!: Platform;
  #nc: NatsConnection | undefined;
  #js!: JetStreamClient;
  #jsm!: JetStreamManager;
  #subjects!: FeedSubjects;
  #writer: Writer | undefined;
  #reader: Reader | undefined;
  #sink!: FeedSink;
  #state: MirrorState | undefined;
  #messages: ConsumerMessages | undefined;
  #readTs!: (bytes: Uint8Array, offset: number) => number;
  #newestTsUs: number | undefined;
  #statusTimer: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(options: MirrorOptions) {
    this.#options = options;
    this.stats = initialStats(
      'mirror',
      options.feed,
      options.stream,
      serverList(options.servers).join(','),
      options.statusEveryMs,
    );
  }

  async start(): Promise<void> {
    this.#platform = new Platform(this.#options.basePath);
    try {
      this.#nc = await connectWithBackoff({ ...this.#options, signal: this.#abort.signal });
      countReconnects(this.#nc, () => {
        this.stats.reconnects++;
      });
      this.#js = jetstream(this.#nc);
      this.#jsm = await jetstreamManager(this.#nc, { checkAPI: false });
      const jsm = this.#jsm;
      // A cluster electing a leader answers with timeouts for a few seconds: retried, not fatal.
      const { subjects, schema } = await retryTransient(
        async () => {
          const subjects = subjectsOf(await requireStream(jsm, this.#options.stream));
          return { subjects, schema: await readSchema(jsm, subjects) };
        },
        (attempt, error) =>
          this.#log(`stream "${this.#options.stream}" not answering (${messageOf(error)}); retry ${attempt}`),
      );
      this.#subjects = subjects;
      if (schema === undefined) {
        throw new BridgeError(
          'ERR_BRIDGE_STREAM',
          `Stream "${this.#options.stream}" holds no schema message (${this.#subjects.schema}); start the replicator first`,
          { stream: this.#options.stream },
        );
      }
      this.#openLocalFeed(schema);
    } catch (error) {
      await this.#shutdown();
      throw error;
    }
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
    this.done.catch(() => {});
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#abort.abort();
    await this.#messages?.close().catch(() => {});
    await this.done.catch(() => {});
  }

  #log(message: string): void {
    this.#options.onLog?.(message);
  }

  /** Creates the local feed from the stream's schema, or checks the existing one matches it (writing nothing if not). */
  #openLocalFeed(schema: PublishedSchema): void {
    const { feed, basePath, stream } = this.#options;
    const exists = this.#platform.listFeeds().some((f) => f.name === feed);
    if (exists) {
      const local = schemaOf(this.#platform.describeFeed(feed));
      if (!sameLayout(local, schema)) {
        throw new BridgeError(
          'ERR_BRIDGE_SCHEMA_MISMATCH',
          `Feed "${feed}" in ${basePath} has schema ${describeLayout(local)}, but stream "${stream}" carries ` +
            `${describeLayout(schema)}; nothing was written (mirror into a new feed name, or delete the local feed)`,
          { feed, stream },
        );
      }
    } else {
      this.#platform.createFeed(specFromSchema(schema, feed));
      this.#log(`created feed "${feed}" from the schema of stream "${stream}"`);
    }
    this.#state = readMirrorState(basePath, feed);
    if (this.#state !== undefined && this.#state.stream !== stream) {
      throw new BridgeError(
        'ERR_BRIDGE_SCHEMA_MISMATCH',
        `Feed "${feed}" in ${basePath} mirrors stream "${this.#state.stream}", not "${stream}"; nothing was written`,
        { feed, stream },
      );
    }
    const info = this.#platform.describeFeed(feed);
    this.#readTs = timestampReader(info);
    this.#writer = this.#platform.createWriter(feed);
    this.#reader = this.#platform.createReader(feed);
    this.#sink = createFeedSink(this.#writer, info);
    const held = this.#reader.nextSeq();
    if (this.#state === undefined && held > 0) {
      throw new BridgeError(
        'ERR_BRIDGE_STREAM',
        `Feed "${feed}" in ${basePath} already holds ${held} records that no mirror wrote; mirror into a new feed`,
        { feed, stream },
      );
    }
  }

  #refreshStats(): void {
    this.#meter.update(this.stats, this.#newestTsUs);
    if (this.#options.statusFile !== undefined)
      writeStatusFile(this.#options.statusFile, this.stats, (m) => this.#log(m));
  }

  async #run(): Promise<void> {
    const sourceNext = (await streamNextSeq(this.#jsm, this.#subjects)) ?? 0;
    this.stats.sourceNextSeq = sourceNext;
    const target = this.#options.untilCaughtUp ? sourceNext : undefined;
    let backoff = RETRY_BACKOFF_MS;
    while (!this.#closing) {
      try {
        await this.#session(target);
        return;
      } catch (error) {
        if (error instanceof BridgeError || this.#closing) throw error;
        this.stats.retries++;
        this.stats.state = 'retrying';
        this.stats.lastError = messageOf(error);
        this.#log(
          `consuming failed (${messageOf(error)}); resuming from the local feed's last record in ${backoff} ms`,
        );
        await sleep(backoff, undefined, { signal: this.#abort.signal }).catch(() => {});
        backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
      }
    }
  }

  /** One pass: the position comes from the local feed, so a pass can restart at any point. */
  async #session(target: number | undefined): Promise<void> {
    const { feed, stream, basePath } = this.#options;
    const localNext = (this.#reader as Reader).nextSeq();
    let need = this.#state === undefined ? 0 : localNext + this.#state.sourceSeqOffset;
    this.stats.nextSeq = need;
    if (target !== undefined && need >= target) {
      this.stats.caughtUp = true;
      return;
    }
    const batch = await findBatchHolding(this.#jsm, this.#subjects, need);
    const info = await this.#jsm.streams.info(stream);
    const startAt = batch?.streamSeq ?? info.state.last_seq + 1;
    this.#log(
      `local feed "${feed}" continues at source seq ${need}: consuming stream "${stream}" from message ${startAt}`,
    );
    const consumer = await this.#js.consumers.get(stream, {
      filter_subjects: this.#subjects.records,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: startAt,
    });
    const messages = await consumer.consume({ max_messages: 64 });
    this.#messages = messages;
    this.stats.state = 'running';
    if (this.#closing) await messages.close();
    try {
      const recordSize = (this.#reader as Reader).recordSize;
      for await (const message of messages) {
        const span = spanOf(message.headers, message.seq, stream);
        this.stats.sourceNextSeq = Math.max(this.stats.sourceNextSeq, span.firstSeq + span.count);
        if (span.firstSeq + span.count <= need) continue;
        if (this.#state === undefined) {
          // The first record this mirror ever writes fixes the local seq 0 ↔ source seq mapping.
          this.#state = { stream, sourceSeqOffset: span.firstSeq };
          writeMirrorState(basePath, feed, this.#state);
          need = span.firstSeq;
        }
        if (span.firstSeq > need) {
          const lost = span.firstSeq - need;
          if (this.#options.onGap === 'throw') {
            throw new BridgeError(
              'ERR_BRIDGE_GAP',
              `Feed "${feed}": stream "${stream}" jumps from seq ${need} to ${span.firstSeq}: ${lost} records ` +
                'expired from the stream or were lost by the source; nothing after seq ' +
                `${need - 1} was written`,
              { feed, stream },
            );
          }
          // Seqs stay exact across the gap: the offset moves first, then the records follow.
          this.#state = { stream, sourceSeqOffset: this.#state.sourceSeqOffset + lost };
          writeMirrorState(basePath, feed, this.#state);
          this.stats.lostRecords += lost;
          this.#log(
            `stream "${stream}" no longer holds seqs ${need}..${span.firstSeq - 1}: ${lost} records lost`,
          );
          need = span.firstSeq;
        }
        const skip = need - span.firstSeq;
        const count = span.count - skip;
        const bytes = message.data.subarray(skip * recordSize, span.count * recordSize);
        this.#sink.write(bytes, count);
        need += count;
        this.stats.records += count;
        this.stats.bytes += bytes.byteLength;
        this.stats.messages++;
        this.stats.nextSeq = need;
        this.#newestTsUs = this.#readTs(bytes, (count - 1) * recordSize);
        if (target !== undefined && need >= target) {
          this.stats.caughtUp = true;
          break;
        }
        if (this.#closing) break;
      }
    } finally {
      this.#messages = undefined;
      await messages.close().catch(() => {});
    }
  }

  async #shutdown(): Promise<void> {
    if (this.#statusTimer !== undefined) clearInterval(this.#statusTimer);
    try {
      this.#refreshStats();
    } catch {
      // Best effort.
    }
    await this.#nc?.drain().catch(() => {});
    this.#platform.close();
  }
}
