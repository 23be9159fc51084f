// Finds and loads the compiled addon: a local source build first, then the prebuilt binary that
// ships inside the package. Kept apart from binding.ts so the choice can be tested on its own.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepwaterError } from '@deepwater/errors';

export const ADDON_NAME = 'deepwater_storage';
/** The N-API version the addon is compiled against (binding.gyp's NAPI_VERSION). */
export const ADDON_NAPI_VERSION = 8;

const PACKAGE_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Where `node-gyp` (the install fallback, or a workspace build) leaves a source build. */
export function sourceBuildPath(packageRoot: string = PACKAGE_ROOT): string {
  return path.join(packageRoot, 'build', 'Release', `${ADDON_NAME}.node`);
}

/**
 * Where the prebuilt binary for a platform lives (prebuildify's layout): one file per
 * platform-arch-libc, tagged `napi` because one N-API build serves every Node ≥ 20.
 */
export function prebuildPath(
  platform: string = process.platform,
  arch: string = process.arch,
  packageRoot: string = PACKAGE_ROOT,
): string {
  return path.join(packageRoot, 'prebuilds', `${platform}-${arch}`, `${ADDON_NAME}.napi.glibc.node`);
}

/** No build of the addon loads here: says what was tried and what to install. */
export class NativeAddonLoadError extends DeepwaterError {
  readonly tried: readonly string[];

  constructor(attempts: readonly { path: string; reason: string }[], cause?: unknown) {
    const tried = attempts.map((attempt) => `  ${attempt.path}: ${attempt.reason}`).join('\n');
    super(
      'ERR_NATIVE_ADDON',
      `@deepwater/storage-native: no build of the native addon loads on this machine ` +
        `(${describeHost()}).\nTried:\n${tried}\n` +
        'A prebuilt binary ships for linux-x64 with glibc; anywhere else (e.g. musl/Alpine) the ' +
        'addon compiles at install time, which needs python3, make and a C++17 compiler ' +
        '(Debian/Ubuntu: `apt-get install -y python3 make g++`; Alpine: `apk add python3 make g++`), ' +
        'then `npm rebuild @deepwater/storage-native`.',
      cause === undefined ? {} : { cause },
    );
    this.name = 'NativeAddonLoadError';
    this.tried = attempts.map((attempt) => attempt.path);
  }
}

export interface LoadedAddon<T> {
  readonly addon: T;
  readonly path: string;
}

/**
 * Loads the first candidate that exists and loads. `override` (DEEPWATER_STORAGE_ADDON, a test
 * hook) is the only candidate when set, so a test never silently runs another build.
 */
export function loadAddon<T>(
  override: string | undefined = process.env.DEEPWATER_STORAGE_ADDON,
): LoadedAddon<T> {
  const require = createRequire(import.meta.url);
  const candidates = override ? [path.resolve(override)] : [sourceBuildPath(), prebuildPath()];
  const attempts: { path: string; reason: string }[] = [];
  let lastError: unknown;
  for (const candidate of candidates) {
    if (!existsSync(candidate)) {
      attempts.push({ path: candidate, reason: 'not found' });
      continue;
    }
    try {
      return { addon: require(candidate) as T, path: candidate };
    } catch (error) {
      lastError = error;
      attempts.push({ path: candidate, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new NativeAddonLoadError(attempts, lastError);
}

function describeHost(): string {
  const glibc = glibcVersion();
  const libc = glibc === undefined ? 'no glibc (musl?)' : `glibc ${glibc}`;
  return `${process.platform}-${process.arch}, ${libc}, Node ${process.version}, N-API ${process.versions.napi}`;
}

function glibcVersion(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  // Only on the error path: a report costs a few milliseconds.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header?.glibcVersionRuntime;
}
