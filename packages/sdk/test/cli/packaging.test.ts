import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_ROOT } from '../ops/helpers/child.js';
import { cli } from './run-cli.js';

const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(SDK_ROOT, 'package.json'), 'utf8')).version;

describe('deepwater as installed from the package', () => {
  it('prints its version with --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag]);
      expect(run).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
    }
  });

  it('reports a native addon that does not load as one line naming what to install, without a stack', () => {
    // The committed bin stub, as npm links it; the override makes the loader fail as on a machine
    // where neither the prebuild nor a compiled addon loads.
    const run = spawnSync(process.execPath, [join(SDK_ROOT, 'bin/deepwater.js'), 'feeds'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        DEEPWATER_STORAGE_ADDON: '/nonexistent/deepwater_storage.node',
        DEEPWATER_DEBUG: '',
      },
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^deepwater: @deepwater\/storage-native: no build of the native addon loads/);
    expect(run.stderr).toContain('apt-get install -y python3 make g++');
    expect(run.stderr).toContain('/nonexistent/deepwater_storage.node: not found');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
