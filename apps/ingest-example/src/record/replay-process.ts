/**
 * Runs a ReplayServer for a session file in a child process (replay-child.ts), with the same surface
 * as the worker thread (replay-thread.ts): url, products, framesSent, close(). On a 2-core machine the
 * server and the ingester then each have a core, and the ingester's process.cpuUsage() is the
 * ingest's own cost.
 */
import { fork } from 'node:child_process';
import { type ReplayEndpoint, replayMessageHandler } from './replay-endpoint.js';
import type { ReplaySpeed } from './replay-server.js';

// Built code runs replay-child.js; when the sources run under tsx, the child needs tsx's loader too.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const CHILD_URL = new URL(`./replay-child${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
const TSX_LOADER = FROM_SOURCE ? import.meta.resolve('tsx/esm') : '';

export function startReplayProcess(
  file: string,
  speed: ReplaySpeed,
  log: (message: string) => void = () => {},
  stampRecvUs = false,
): Promise<ReplayEndpoint> {
  const execArgv = FROM_SOURCE ? ['--import', TSX_LOADER] : [];
  const child = fork(CHILD_URL, [file, String(speed), stampRecvUs ? 'stamp' : 'no-stamp'], {
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });
  const transport = {
    close: async () => {
      if (!exited && child.connected) child.send({ type: 'close' });
      // A child that does not exit promptly must not hold the ingest open.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
    abort: () => {
      child.kill();
    },
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`replay server process exited (code ${code}, signal ${signal}) before listening`)),
    );
    child.on('message', replayMessageHandler(transport, log, resolve, reject));
  });
}
