import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output and a pinned clock. */
export async function cli(
  argv: string[],
  options: { nowUs?: number; env?: Record<string, string> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { ...options.env },
    nowMicros: () => options.nowUs ?? Date.now() * 1000,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
