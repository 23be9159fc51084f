import type { CliIo } from './io.js';

/**
 * A read that starts at a seq (or falls behind a ring's writer) skips the records the feed no
 * longer holds: retention removed them, or the ring overwrote them. The reader counts them in
 * `stats.lostRecords`; the CLI says so on stderr rather than print a shorter output silently.
 */
export function reportLostRecords(io: CliIo, command: string, feed: string, lostRecords: number): void {
  if (lostRecords <= 0) return;
  io.stderr.write(
    `deepwater ${command}: feed "${feed}": ${lostRecords} record(s) in the requested range are no longer held ` +
      '(removed by retention, or overwritten in the ring) and are not in the output\n',
  );
}
