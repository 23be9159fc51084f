import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';

/**
 * An optional package the CLI uses when it is installed (@deepwater/arrow, @deepwater/tui). Its
 * name is passed in a variable, never a literal import: those packages depend on the sdk, so the
 * sdk must not depend on them (not even for types); they are found at run time instead.
 */
export interface OptionalPackage {
  name: string;
  /** The function the CLI calls. */
  exportName: string;
  /** The one line printed when the package is not installed (how to install it). */
  missing: string;
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** The package's ESM entry as seen from `dir` (its exports map may have no require condition). */
function entryFrom(name: string, dir: string): string | undefined {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(dir, 'noop.js')).resolve(`${name}/package.json`);
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
 * Loads `pkg.exportName`: first as the sdk itself would resolve the package (installed side by
 * side), then from `fromDirs` (the operator's project, e.g. the current directory). A missing
 * package or export is a CliError saying what to install or upgrade.
 */
export async function loadOptionalExport<T>(pkg: OptionalPackage, fromDirs: readonly string[]): Promise<T> {
  let module: Record<string, unknown> | undefined;
  try {
    module = await import(pkg.name);
  } catch (error) {
    if (!isNotFound(error) || !String((error as Error).message).includes(pkg.name)) throw error;
  }
  for (const dir of fromDirs) {
    if (module !== undefined) break;
    const entry = entryFrom(pkg.name, dir);
    if (entry !== undefined) module = await import(entry);
  }
  if (module === undefined) throw new CliError(pkg.missing);
  const loaded = module[pkg.exportName];
  if (typeof loaded !== 'function') {
    throw new CliError(
      `${pkg.name} is installed but exports no ${pkg.exportName}(): upgrade it to match @deepwater/sdk`,
    );
  }
  return loaded as T;
}
