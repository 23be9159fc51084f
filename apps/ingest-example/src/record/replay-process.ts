/**
 * Runs a ReplayServer for a session file in a child process (replay-child.ts), with the same surface
 * as the worker thread (replay-thread.ts): url, products, framesSent, close(). On a 2-core machine the
 * server and the ingester then each have a core, and the ingester's process.cpuUsage() is the
 * ingest's own cost.
 */
import { fork } from 'node:child_process';
import type { ReplaySpeed } from './replay-server.js';
import type { ReplayEndpoint } from './replay-thread.js';
import type { ReplayWorkerMessage } from './replay-worker-messages.js';

// Built code runs replay-child.js; when the sources run under tsx, the child needs tsx's loader too.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const CHILD_URL = new URL(`./replay-child${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
const TSX_LOADER = FROM_SOURCE ? import.meta.resolve('tsx/esm') : '';

export function startReplayProcess(
  file: string,
  speed: ReplaySpeed,
  log: (message: string) => void = () => {},
): Promise<ReplayEndpoint> {
  const execArgv = FROM_SOURCE ? ['--import', TSX_LOADER] : [];
  const child = fork(CHILD_URL, [file, String(speed)], {
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let framesSent = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`replay server process exited (code ${code}, signal ${signal}) before listening`)),
    );
    child.on('message', (message: ReplayWorkerMessage) => {
      switch (message.type) {
        case 'listening':
          resolve({
            url: message.url,
            products: message.products,
            get framesSent() {
              return framesSent;
            },
            close: async () => {
              if (!exited && child.connected) child.send({ type: 'close' });
              // A child that does not exit promptly must not hold the ingest open.
              const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
              await exit;
              clearTimeout(timer);
            },
          });
          break;
        case 'finished':
        case 'closed':
          framesSent = message.framesSent;
          break;
        case 'log':
          log(message.message);
          break;
        case 'error':
          reject(new Error(`replay server: ${message.message}`));
          child.kill();
          break;
      }
    });
  });
}
