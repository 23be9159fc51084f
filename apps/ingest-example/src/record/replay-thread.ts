/**
 * Runs a ReplayServer for a session file in a worker thread (see replay-worker.ts) and exposes the
 * same small surface the replay runner needs: url, products, finished, close().
 */
import { Worker } from 'node:worker_threads';
import { type ReplayEndpoint, replayMessageHandler } from './replay-endpoint.js';
import type { ReplaySpeed } from './replay-server.js';
import type { ReplayWorkerData } from './replay-worker.js';

export type { ReplayEndpoint } from './replay-endpoint.js';

// Built code runs replay-worker.js; when the sources run under tsx, the worker needs tsx's loader too.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./replay-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
const TSX_API = FROM_SOURCE ? import.meta.resolve('tsx/esm/api') : '';

export function startReplayThread(
  file: string,
  speed: ReplaySpeed,
  log: (message: string) => void = () => {},
  stampRecvUs = false,
): Promise<ReplayEndpoint> {
  const workerData: ReplayWorkerData = { file, speed, stampRecvUs };
  // Workers do not inherit --import hooks: register tsx in the worker, then import the .ts entry.
  const bootstrap = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  const worker = FROM_SOURCE
    ? new Worker(bootstrap, { eval: true, workerData })
    : new Worker(WORKER_URL, { workerData });
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    const transport = {
      close: () =>
        new Promise<void>((done) => {
          worker.once('exit', () => done());
          worker.postMessage({ type: 'close' });
        }),
      abort: () => void worker.terminate(),
    };
    worker.on('message', replayMessageHandler(transport, log, resolve, reject));
  });
}
