import type { CliIo } from './io.js';
import { loadOptionalExport } from './load-optional.js';

export type RunArrowCli = (argv: readonly string[], io: Pick<CliIo, 'stdout' | 'stderr'>) => Promise<number>;

export const ARROW_MISSING =
  'install @deepwater/arrow to export and import Parquet, Arrow and CSV files (npm install @deepwater/arrow, next to @deepwater/sdk)';

/** Loads `runArrowCli` from @deepwater/arrow: installed beside the sdk, or in one of `fromDirs`. */
export function loadArrowCli(fromDirs: readonly string[]): Promise<RunArrowCli> {
  return loadOptionalExport<RunArrowCli>(
    { name: '@deepwater/arrow', exportName: 'runArrowCli', missing: ARROW_MISSING },
    fromDirs,
  );
}
