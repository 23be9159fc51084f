import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { createProgress } from '../../src/cli/progress.js';

function io(tty: boolean) {
  const out = { stdout: '', stderr: '' };
  const value: CliIo = {
    stdout: { write: (t: string) => (out.stdout += t), isTTY: tty },
    stderr: { write: (t: string) => (out.stderr += t), isTTY: tty },
    env: {},
    nowMicros: () => 0,
  };
  return { io: value, out };
}

describe('createProgress', () => {
  it('draws a bar on stderr when a person watches a terminal', () => {
    const { io: tty, out } = io(true);
    const progress = createProgress(tty);
    progress.start(10, 'repair');
    progress.increment(5);
    progress.writeAbove('row\n');
    progress.stop();
    expect(out.stderr).toMatch(/repair \[.*\] \d+% \d+\/10/);
    expect(out.stdout).toBe('row\n');
  });

  it('prints nothing extra when output is piped, or with --json', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const { io: piped, out } = io(tty);
      const progress = createProgress(piped, { quiet });
      progress.start(10, 'repair');
      progress.increment(10);
      progress.writeAbove('row\n');
      progress.stop();
      expect(out).toEqual({ stdout: 'row\n', stderr: '' });
    }
  });
});
