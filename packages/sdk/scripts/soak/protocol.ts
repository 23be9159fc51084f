// Children talk to the soak parent in JSON lines on stdout (synchronous for pipes on Linux, so even
// a reader spinning in a sync loop gets its lines out); the parent sends one-word commands on stdin.
import type { SequenceReport } from './sequence-check.js';

export type ReaderRole = 'sync-stream' | 'async-stream' | 'poller' | 'slow';
export const READER_ROLES: readonly ReaderRole[] = ['sync-stream', 'async-stream', 'poller', 'slow'];

export type ChildMessage =
  | { type: 'ready'; role: ReaderRole }
  | { type: 'progress'; role: ReaderRole; received: number; lastSeq: number; anomalies: number }
  | { type: 'done'; role: ReaderRole; report: SequenceReport }
  | { type: 'writer-ready'; gen: number; resumeSeq: number }
  | { type: 'writer-progress'; gen: number; nextSeq: number }
  | { type: 'writer-finished'; gen: number; finalSeq: number }
  | { type: 'error'; message: string };

export type ParentCommand = 'finish' | 'drain';

export function send(message: ChildMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * Calls `handler` for each command line the parent writes to this process's stdin, and exits when
 * stdin closes: the parent is gone, and a writer or reader left behind would run forever.
 */
export function onCommand(handler: (command: ParentCommand) => void = () => {}): void {
  let buffer = '';
  process.stdin.on('end', () => process.exit(1));
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    buffer += text;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line === 'finish' || line === 'drain') handler(line);
    }
  });
}

/** Reports an uncaught failure to the parent, then exits 1 (never a silent death). */
export function reportFatal(error: unknown): never {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  send({ type: 'error', message });
  process.exit(1);
}

/** Any uncaught error or rejection ends the child through reportFatal. */
export function exitOnUncaught(): void {
  process.on('uncaughtException', reportFatal);
  process.on('unhandledRejection', reportFatal);
}
