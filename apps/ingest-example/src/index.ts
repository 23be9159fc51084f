// Public surface of @deepwater/ingest-example: the pieces of the Coinbase ingester, reusable alone.
export { type MicrosClock, MonotonicMicrosClock } from './coinbase/clock.js';
export {
  DecimalError,
  decimalToScaled,
  type Int64Value,
  PRICE_SCALE,
  SIZE_SCALE,
  scaledToDecimal,
} from './coinbase/decimal.js';
export { exchangeSubscriptionMessages, parseExchangeFrame } from './coinbase/exchange-parse.js';
export type { BookEvent, BookLevel, ParsedFrame, Trade, TradesEvent } from './coinbase/messages.js';
export { parseAdvancedTradeFrame } from './coinbase/parse.js';
export { heartbeatTimeToMicros, isoToMicros, microsToIso, TimestampError } from './coinbase/timestamps.js';
export { COMMAND_HELP, type Command, type CommandResult, parseCommand } from './commands.js';
export {
  COINBASE_ADVANCED_TRADE_URL,
  COINBASE_EXCHANGE_URL,
  type IngestConfig,
  parseConfig,
} from './config.js';
export { DeepwaterSink } from './feeds/deepwater-sink.js';
export { MemorySink } from './feeds/memory-sink.js';
export {
  BOOK_FIELDS,
  EVENT_FIELDS,
  EVENT_KIND_NAMES,
  EventKind,
  FLAG_AFTER_RECONNECT,
  FLAG_LAST_IN_EVENT,
  FLAG_SNAPSHOT,
  FLAG_TRADE_ID_NOT_NUMERIC,
  productFeedSpecs,
  TRADE_FIELDS,
} from './feeds/schemas.js';
export type { IngestSink, ProductSink } from './feeds/sink.js';
export { createLogger, type Logger, type LogLevel } from './log.js';
export { formatMetrics, IngestMetrics, type MetricsSnapshot } from './metrics.js';
export { type FeedNames, type FeedPrefix, feedNames, normaliseProductId } from './products.js';
export { BadFrameLog } from './record/bad-frames.js';
export { SessionRecorder } from './record/recorder.js';
export {
  CLOSE_END_OF_SESSION,
  CLOSE_RECORDED_DISCONNECT,
  parseReplaySpeed,
  ReplayServer,
  type ReplaySpeed,
} from './record/replay-server.js';
export { parseSession, type RecordedFrame, readSession } from './record/session-file.js';
export {
  DEFAULT_PLAN,
  type GeneratedSession,
  generateSession,
  type ProductModel,
  type SegmentPlan,
  type SessionPlan,
} from './record/session-generator.js';
export {
  type ReplayOptions,
  type ReplayResult,
  type ReplayServerPlacement,
  replaySession,
} from './replay.js';
export { type RunResult, runIngest } from './run.js';
export {
  type CoinbaseProtocol,
  Ingester,
  type IngesterOptions,
  type IngesterStatus,
} from './session/ingester.js';
export { summarize } from './summary.js';
