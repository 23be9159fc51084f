/**
 * The slice of the @deepwater/sdk public API (shared/spec/api.md) that the bench drives.
 * The harness loads the sdk at run time through `loadSdk()` and types it with this contract, so
 * that the bench still builds, and its baselines still run, while the sdk is mid-change; a
 * scenario whose API is missing reports "unavailable: <error>" instead.
 */
export interface FieldSpec {
  name: string;
  type: string;
}

export interface FeedSpec {
  feedName: string;
  fields: FieldSpec[];
  tsCol: string;
  persist: boolean;
  chunkSizeMb?: number;
}

export type Row = ArrayLike<unknown> | Readonly<Record<string, unknown>>;

export interface SdkWriter {
  writeValues(...values: unknown[]): void;
  writeTuple(values: ArrayLike<unknown>): void;
  writeDict(record: Readonly<Record<string, unknown>>): void;
  writeBatch(rows: readonly Row[]): number;
  close(): void;
}

export type FormatName = 'tuple' | 'object' | 'columnar' | 'raw';

export interface RecordStream<T> extends Iterable<T>, AsyncIterable<T> {}

export interface SdkReader {
  readonly recordSize: number;
  readonly stats?: { lostRecords: number };
  stream(options?: { start?: number; format?: 'tuple' | 'object' | 'raw' }): RecordStream<unknown[]>;
  range(start: number, end: number, options?: { format?: FormatName }): unknown;
  readAvailable(options?: { maxRecords?: number; format?: FormatName }): unknown;
  close(): void;
}

export interface SdkPlatform {
  createFeed(spec: FeedSpec): unknown;
  createWriter(name: string): SdkWriter;
  createReader(name: string): SdkReader;
  deleteFeed(name: string, options?: { missingOk?: boolean }): void;
  close(): void;
}

export interface SdkModule {
  Platform: new (basePath: string) => SdkPlatform;
}

const SDK = '@deepwater/sdk';

export async function loadSdk(): Promise<SdkModule> {
  let module: Partial<SdkModule>;
  try {
    // A variable specifier keeps tsc from binding the bench's build to the sdk's current types.
    module = (await import(SDK)) as Partial<SdkModule>;
  } catch (error) {
    throw new Error(
      `cannot load ${SDK} (build it: pnpm --filter @deepwater/bench... build): ${messageOf(error)}`,
    );
  }
  if (typeof module.Platform !== 'function') throw new Error(`${SDK} does not export Platform yet`);
  return module as SdkModule;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
