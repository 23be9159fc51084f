// Public surface of @deepwater/bridge-nats.
export { type ConnectOptions, connectWithBackoff } from './connection.js';
export { BridgeError, type BridgeErrorCode } from './errors.js';
export { DEFAULT_MAX_MESSAGE_BYTES, type StreamLimits } from './jetstream-stream.js';
export { type MirrorOptions, mirrorStream } from './mirror.js';
export {
  defaultBaseId,
  defaultStreamName,
  type FeedSubjects,
  feedSubjects,
  HEADER_COUNT,
  HEADER_FIRST_SEQ,
  HEADER_RECORD_SIZE,
} from './naming.js';
export { type BridgeHandle, type ReplicateOptions, replicateFeed } from './replicate.js';
export { describeLayout, type PublishedSchema, schemaOf } from './schema.js';
export type { BridgeStats } from './stats.js';
