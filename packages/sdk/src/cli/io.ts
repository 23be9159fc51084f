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
  /**
   * Resolves when the operator asks to stop (SIGINT/SIGTERM). Only `tail --follow` asks: every other
   * command keeps Node's default, where Ctrl-C terminates the process.
   */
  waitForInterrupt?: () => Promise<void>;
}

export function processIo(): CliIo {
  let interrupted: Promise<void> | undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    nowMicros: () => Date.now() * 1000,
    waitForInterrupt: () => {
      interrupted ??= new Promise<void>((resolve) => {
        let signals = 0;
        // Persistent listeners next to any others (the Platform's close-on-signal hook chains with
        // them); a second Ctrl-C exits at once in case the graceful stop hangs.
        const onSignal = (signal: NodeJS.Signals) => {
          if (++signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
          resolve();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      return interrupted;
    },
  };
}
