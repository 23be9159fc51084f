// Public surface of @deepwater/arrow: feeds to and from Apache Arrow, Parquet and CSV.
export {
  arrowSchemaOf,
  arrowTypeOf,
  DESCRIPTION_KEY,
  SPEC_KEY,
  TYPE_KEY,
} from './arrow-schema.js';
export { type ArrowBatchOptions, columnsToRecordBatch, readArrowBatches, toArrowTable } from './batches.js';
export { type ArrowCliIo, runArrowCli } from './cli.js';
export {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
  exportFeed,
  PARQUET_COMPRESSIONS,
  type ParquetCompression,
} from './export.js';
export {
  ImportError,
  type ImportFormat,
  type ImportOptions,
  type ImportResult,
  importFile,
} from './import.js';
