import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

export type RunArrowCli = (argv: readonly string[], io: Pick<CliIo, 'stdout' | 'stderr'>) => Promise<number>;

// A variable, not a literal: @deepwater/arrow depends on the sdk, so the sdk must not depend on it
// (not even for types); it is found at run time instead, like the dashboard.
const ARROW = '@deepwater/arrow';

export const ARROW_MISSING =
  'install @deepwater/arrow to export and import Parquet, Arrow and CSV files (npm install @deepwater/arrow, next to @deepwater/sdk)';

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function entryFrom(dir: string): string | undefined {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(dir, 'noop.js')).resolve(`${ARROW}/package.json`);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: { '.'?: { import?: string } };
    main?: string;
  };
  const entry = manifest.exports?.['.']?.import ?? manifest.main ?? 'index.js';
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}

/** Loads `runArrowCli` from @deepwater/arrow: installed beside the sdk, or in one of `fromDirs`. */
export async function loadArrowCli(fromDirs: readonly string[]): Promise<RunArrowCli> {
  let module: { runArrowCli?: unknown } | undefined;
  try {
    module = await import(ARROW);
  } catch (error) {
    if (!isNotFound(error) || !String((error as Error).message).includes(ARROW)) throw error;
  }
  for (const dir of fromDirs) {
    if (module !== undefined) break;
    const entry = entryFrom(dir);
    if (entry !== undefined) module = await import(entry);
  }
  if (module === undefined) throw new CliError(ARROW_MISSING);
  if (typeof module.runArrowCli !== 'function') {
    throw new CliError(
      `${ARROW} is installed but exports no runArrowCli(): upgrade it to match @deepwater/sdk`,
    );
  }
  return module.runArrowCli as RunArrowCli;
}
