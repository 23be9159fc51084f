import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADDON_NAPI_VERSION,
  loadAddon,
  NativeAddonLoadError,
  prebuildPath,
  sourceBuildPath,
} from '../src/addon-loader.js';
import { nativeAddon } from '../src/index.js';

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dw-test-addon-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('addon loader', () => {
  it('looks for a source build, then the prebuild in prebuildify layout', () => {
    expect(sourceBuildPath()).toBe(join(PACKAGE_ROOT, 'build/Release/deepwater_storage.node'));
    expect(prebuildPath('linux', 'x64')).toBe(
      join(PACKAGE_ROOT, 'prebuilds/linux-x64/deepwater_storage.napi.glibc.node'),
    );
  });

  it('loaded an addon built against N-API 8, which every Node >= 20 provides', () => {
    expect(nativeAddon.napiVersion).toBe(ADDON_NAPI_VERSION);
    expect([sourceBuildPath(), prebuildPath()]).toContain(nativeAddon.path);
  });

  it('fails with ERR_NATIVE_ADDON naming every file tried and what to install', () => {
    const missing = join(dir, 'missing.node');
    const garbage = join(dir, 'garbage.node');
    writeFileSync(garbage, 'not an ELF file');
    for (const [override, reason] of [
      [missing, 'not found'],
      [garbage, 'file too short'],
    ]) {
      let thrown: unknown;
      try {
        loadAddon(override);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NativeAddonLoadError);
      const error = thrown as NativeAddonLoadError;
      expect(error.code).toBe('ERR_NATIVE_ADDON');
      expect(error.tried).toEqual([override]);
      expect(error.message).toContain(`${override}: `);
      expect(error.message).toContain(reason);
      expect(error.message).toContain('apt-get install -y python3 make g++');
      expect(error.message).toContain(`Node ${process.version}`);
    }
  });
});

describe('build-native.mjs', () => {
  it('compiles against the running Node even when npm_config_* points node-gyp elsewhere', () => {
    // node-gyp takes npm_config_nodedir over its --nodedir argument; an npmrc `nodedir` of another
    // Node must not redirect the build (here it names a directory without headers, which fails).
    const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'scripts/build-native.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_nodedir: dir, NPM_CONFIG_TARGET: '18.0.0' },
      timeout: 300_000,
    });
    expect(result.stderr + result.stdout).not.toContain(dir);
    expect(result.status).toBe(0);
  });
});

describe('install.mjs', () => {
  it('fails the install saying what to install when the prebuild does not load and nothing compiles', () => {
    // The published layout (no src/), a prebuild that is not a loadable binary, and a PATH with
    // node and sh only: no python3, make or compiler, so the source fallback cannot work.
    const pkg = join(dir, 'package');
    for (const entry of [
      'package.json',
      'binding.gyp',
      'native',
      'scripts/install.mjs',
      'scripts/build-native.mjs',
    ])
      cpSync(join(PACKAGE_ROOT, entry), join(pkg, entry), { recursive: true });
    symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(pkg, 'node_modules'));
    mkdirSync(join(pkg, 'prebuilds/linux-x64'), { recursive: true });
    writeFileSync(join(pkg, 'prebuilds/linux-x64/deepwater_storage.napi.glibc.node'), 'not a binary');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const result = spawnSync(process.execPath, [join(pkg, 'scripts/install.mjs')], {
      cwd: pkg,
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir },
      timeout: 120_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'the prebuilt addon does not load on linux-x64 and compiling it from source failed',
    );
    expect(result.stderr).toContain('apt-get install -y python3 make g++');
  });
});
