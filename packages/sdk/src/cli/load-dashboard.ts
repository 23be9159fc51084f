import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';

export interface DashboardRunOptions {
  basePath: string;
  refreshHz?: number;
}

export type RunDashboard = (options: DashboardRunOptions) => Promise<void>;

// A variable, not a literal: @deepwater/tui depends on the sdk, so the sdk must not depend on it
// (not even for types); it is found at run time instead.
const TUI = '@deepwater/tui';

export const TUI_MISSING =
  'install @deepwater/tui to use the dashboard (npm install @deepwater/tui, next to @deepwater/sdk)';

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** The tui's ESM entry as seen from `dir` (its exports map has no require condition to resolve). */
function entryFrom(dir: string): string | undefined {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(dir, 'noop.js')).resolve(`${TUI}/package.json`);
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

/**
 * Loads `runDashboard` from @deepwater/tui: first as the sdk itself would resolve it (installed
 * side by side), then from `fromDirs` (the operator's project, e.g. the current directory).
 */
export async function loadDashboard(fromDirs: readonly string[]): Promise<RunDashboard> {
  let module: { runDashboard?: unknown } | undefined;
  try {
    module = await import(TUI);
  } catch (error) {
    if (!isNotFound(error) || !String((error as Error).message).includes(TUI)) throw error;
  }
  for (const dir of fromDirs) {
    if (module !== undefined) break;
    const entry = entryFrom(dir);
    if (entry !== undefined) module = await import(entry);
  }
  if (module === undefined) throw new CliError(TUI_MISSING);
  if (typeof module.runDashboard !== 'function') {
    throw new CliError(
      `${TUI} is installed but exports no runDashboard(): upgrade it to match @deepwater/sdk`,
    );
  }
  return module.runDashboard as RunDashboard;
}
