/**
 * Runs a ReplayServer for a session file in a worker thread (see replay-worker.ts) and exposes the
 * same small surface the replay runner needs: url, products, finished, close().
 */
import { Worker } from 'node:worker_threads';
import type { ReplaySpeed } from './replay-server.js';
import type { ReplayWorkerData, ReplayWorkerMessage } from './replay-worker.js';

export interface ReplayEndpoint {
  readonly url: string;
  readonly products: string[];
  /** Frames sent so far (known exactly once closed). */
  readonly framesSent: number;
  close(): Promise<void>;
}

// Built code runs replay-worker.js; when the sources run under tsx, the worker needs tsx's loader too.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./replay-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
const TSX_API = FROM_SOURCE ? import.meta.resolve('tsx/esm/api') : '';

export function startReplayThread(
  file: string,
  speed: ReplaySpeed,
  log: (message: string) => void = () => {},
): Promise<ReplayEndpoint> {
  const workerData: ReplayWorkerData = { file, speed };
  // Workers do not inherit --import hooks: register tsx in the worker, then import the .ts entry.
  const bootstrap = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  const worker = FROM_SOURCE
    ? new Worker(bootstrap, { eval: true, workerData })
    : new Worker(WORKER_URL, { workerData });
  let framesSent = 0;
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (message: ReplayWorkerMessage) => {
      switch (message.type) {
        case 'listening':
          resolve({
            url: message.url,
            products: message.products,
            get framesSent() {
              return framesSent;
            },
            close: () =>
              new Promise<void>((done) => {
                worker.once('exit', () => done());
                worker.postMessage({ type: 'close' });
              }),
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
          void worker.terminate();
          break;
      }
    });
  });
}
