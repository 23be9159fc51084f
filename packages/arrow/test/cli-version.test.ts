import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runArrowCli } from '../src/index.js';

describe('deepwater-arrow --version', () => {
  it('prints the package version and exits 0', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runArrowCli(['--version'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    });
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
