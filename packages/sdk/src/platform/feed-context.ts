import type { RecordCodec, RecordLayout } from '@deepwater/schema-wasm';
import type { Logger } from '../logger.js';
import type { FeedConfig } from './feed-spec.js';

/** Anything a Platform closes on Platform.close() and at process exit. */
export interface Closable {
  close(): void;
}

/**
 * Everything a storage backend (disk chunks or a shared-memory ring) needs to serve one feed.
 * Built by the Platform; stable contract for src/ring.
 */
export interface FeedContext {
  /** Absolute, resolved base directory. */
  readonly basePath: string;
  readonly feedName: string;
  /** `<base>/feeds/<name>`: holds feed.json, the writer lock and (disk feeds) the chunk registry and chunks. */
  readonly feedDir: string;
  /** `<feedDir>/writer.lock`: the single-writer kernel lock path. */
  readonly writerLockPath: string;
  readonly config: FeedConfig;
  readonly layout: RecordLayout;
  readonly codec: RecordCodec;
  readonly logger: Logger;
  /** Permission bits of every file the feed's writer and readers create (the Platform's `mode`). */
  readonly fileMode: number;
  /** Track a writer/reader so Platform.close() and process exit close it. */
  register(closable: Closable): void;
  /** Call from the closable's own close(). */
  unregister(closable: Closable): void;
}
