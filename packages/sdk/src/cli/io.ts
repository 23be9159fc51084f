/**
 * CliIo — everything a command touches outside its arguments, so tests can run the CLI in-process
 * with captured output, a fixed clock and a fake crontab, and `main.ts` wires the real process.
 */
export interface CliOutput {
  write(text: string): unknown;
  /** True when a person is watching: enables progress bars and colourless-but-aligned tables. */
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
  /** Wall-clock now in microseconds since the epoch (retention and health compare against it). */
  nowMicros(): number;
  /** Resolves when the operator asks to stop (SIGINT/SIGTERM); used by `tail --follow`. */
  interrupted?: Promise<void>;
}

export function processIo(): CliIo {
  const interrupted = new Promise<void>((resolve) => {
    // `once` chains with any other listeners rather than replacing them.
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    nowMicros: () => Date.now() * 1000,
    interrupted,
  };
}
