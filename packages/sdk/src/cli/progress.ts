import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

/**
 * Progress for long scans (repair, large dumps, cleanup of many chunks). Drawn on stderr only when a
 * person watches both streams; when output is piped or --json is set, it prints nothing at all so
 * scripts see exactly the command's output.
 */
export interface Progress {
  start(total: number, label: string): void;
  increment(step?: number): void;
  /** Writes text to stdout without leaving a half-drawn bar in the middle of it. */
  writeAbove(text: string): void;
  stop(): void;
}

/** Below this many units, a bar would only flash: skip it. */
const MIN_TOTAL_FOR_BAR = 2;

export function createProgress(io: CliIo, options: { quiet?: boolean; minTotal?: number } = {}): Progress {
  const enabled = !options.quiet && io.stdout.isTTY === true && io.stderr.isTTY === true;
  const minTotal = options.minTotal ?? MIN_TOTAL_FOR_BAR;
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total, label) {
      if (!enabled || total < minTotal) return;
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`,
          stream: io.stderr as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    increment(step = 1) {
      bar?.increment(step);
    },
    writeAbove(text) {
      // Clear the bar's line first; it redraws itself below the text on its next tick.
      if (bar) io.stderr.write('\r\x1b[K');
      io.stdout.write(text);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
