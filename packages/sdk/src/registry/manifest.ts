import { closeSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeepwaterError } from '../errors.js';
import { DEFAULT_FILE_MODE, openNoFollow } from '../platform/base-fs.js';
import { createFileOnce } from './atomic-file.js';
import { FORMAT_VERSION } from './layout.js';

export const MANIFEST_FILE = 'manifest.json';

export interface Manifest {
  formatVersion: number;
  createdUs?: number;
  software?: string;
}

/** Creates manifest.json if missing, then checks that its format version is the one this sdk speaks. */
export function ensureManifest(basePath: string, mode = DEFAULT_FILE_MODE): Manifest {
  const path = join(basePath, MANIFEST_FILE);
  const fresh: Manifest = {
    formatVersion: FORMAT_VERSION,
    createdUs: Date.now() * 1000,
    software: '@deepwater/sdk',
  };
  const text = `${JSON.stringify(fresh, null, 2)}\n`;
  const bytes = Buffer.from(text);
  createFileOnce(path, bytes.length, bytes, mode);
  const fd = openNoFollow(path, constants.O_RDONLY);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(fd, 'utf8')) as Manifest;
  } catch (cause) {
    throw new DeepwaterError(
      'ERR_CORRUPT',
      `${path} is not valid JSON; restore it or move the base directory aside`,
      {
        path,
        cause,
      },
    );
  } finally {
    closeSync(fd);
  }
  if (manifest === null || typeof manifest !== 'object' || !Number.isInteger(manifest.formatVersion)) {
    throw new DeepwaterError('ERR_CORRUPT', `${path} has no integer "formatVersion"`, { path });
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new DeepwaterError(
      'ERR_FORMAT_VERSION',
      `${path} has formatVersion ${manifest.formatVersion}, but this @deepwater/sdk reads and writes formatVersion ${FORMAT_VERSION}. ` +
        (manifest.formatVersion > FORMAT_VERSION
          ? 'Upgrade @deepwater/sdk to open this base directory.'
          : `Upgrade it in place (stop its writers first): deepwater migrate -b ${basePathOf(path)}`),
      { path },
    );
  }
  return manifest;
}

function basePathOf(manifestPath: string): string {
  return JSON.stringify(join(manifestPath, '..'));
}

/**
 * True when manifest.json names this sdk's format version: then a file of the base claiming another
 * version is damaged (a newer sdk bumps the manifest too), and repair may rebuild it.
 */
export function manifestIsCurrent(basePath: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(basePath, MANIFEST_FILE), 'utf8')) as Manifest;
    return manifest?.formatVersion === FORMAT_VERSION;
  } catch {
    return false;
  }
}
