/// <reference lib="esnext.disposable" preserve="true" />
// Disposable and Symbol.dispose in the published types: kept in the emitted index.d.ts, so a
// consumer compiles them without adding lib esnext.disposable (or @types/node) itself.
// Public surface of @deepwater/sdk.

export { type ParseTimeOptions, parseTime } from './cli/timestamps.js';
export {
  configureMappingBudget,
  DEFAULT_MAPPING_BUDGET,
  type MappingBudgetLimits,
} from './disk/mapping-budget.js';
export {
  DeepwaterError,
  type DeepwaterErrorCode,
  NoMemoryError,
  NoSpaceError,
  OverrunError,
} from './errors.js';
export type {
  BatchByFormat,
  Columns,
  FormatName,
  RecordByFormat,
  RecordObject,
  StreamFormatName,
  Tuple,
} from './format/formats.js';
export type {
  ColumnOf,
  ReadTypes,
  ReadTypesOf,
  ReadValueOf,
  UntypedRead,
  UntypedWrite,
  WriteTypes,
  WriteTypesOf,
  WriteValueOf,
} from './format/typed-records.js';
export type { Logger } from './logger.js';
export {
  BaseUnavailableError,
  checkHealth,
  type HealthCheck,
  type HealthOptions,
  type HealthReport,
} from './ops/health.js';
export {
  closeFileLogger,
  createFileLogger,
  type FileLogger,
  type FileLoggerOptions,
} from './ops/logging.js';
export { type RepairOptions, type RepairReport, runRepair } from './ops/repair.js';
export {
  type ChunkDecision,
  type CleanupOptions,
  type CleanupReport,
  type FeedCleanup,
  type KeepReason,
  runCleanup,
} from './ops/retention.js';
export {
  type FeedProblem,
  type FeedScanResult,
  type ProblemKind,
  type ProblemSeverity,
  type ScanOptions,
  scanFeed,
} from './ops/scan-feed.js';
export { defineFeed } from './platform/define-feed.js';
export type { FeedInfo, FeedLifecycle, FieldInfo, RecordFormat } from './platform/feed-info.js';
export type { FeedConfig, FeedFieldSpec, FeedMode, FeedSpecInput } from './platform/feed-spec.js';
export type { ChunkStatus, FeedStatus } from './platform/feed-status.js';
export { type FieldLabels, labelOf } from './platform/field-labels.js';
export { Platform, type PlatformOptions } from './platform/platform.js';
export type { AbortSignalLike } from './reader/abort-signal.js';
export type {
  AsOfOptions,
  RangeBatchesOptions,
  ReadAvailableOptions,
  Reader,
  ReaderOptions,
  ReaderStats,
  ReadOptions,
  StreamOptions,
  TypedReaderOptions,
} from './reader/reader.js';
export { RecordScan } from './reader/record-scan.js';
export { RecordStream } from './reader/record-stream.js';
export type { ScanRecord } from './reader/record-view.js';
export type { TimeUnit } from './reader/time-bound.js';
export type { RingReaderStatus, RingStatus } from './ring/index.js';
export type { ColumnInput } from './writer/bulk-source.js';
export type { Durability, Writer, WriterOptions } from './writer/writer.js';
