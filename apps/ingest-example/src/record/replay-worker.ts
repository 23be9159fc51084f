/**
 * Worker-thread entry that runs a ReplayServer, so serving frames at full speed uses the second core
 * instead of competing with the ingester for the event loop. Driven by replay-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ReplayServer, type ReplaySpeed } from './replay-server.js';
import type { ReplayWorkerMessage } from './replay-worker-messages.js';
import { readSession } from './session-file.js';

export interface ReplayWorkerData {
  file: string;
  speed: ReplaySpeed;
  settleMs?: number;
  stampRecvUs?: boolean;
}

export type { ReplayWorkerMessage } from './replay-worker-messages.js';

const port = parentPort!;
const post = (message: ReplayWorkerMessage) => port.postMessage(message);
const options = workerData as ReplayWorkerData;

try {
  const segments = await readSession(options.file);
  const server = await ReplayServer.start({
    segments,
    speed: options.speed,
    settleMs: options.settleMs,
    stampRecvUs: options.stampRecvUs,
    log: (message) => post({ type: 'log', message }),
  });
  post({ type: 'listening', url: server.url, products: server.products, segments: segments.length });
  void server.finished.then(() => post({ type: 'finished', framesSent: server.framesSent }));
  port.on('message', async (message: { type: string }) => {
    if (message.type !== 'close') return;
    await server.close();
    post({ type: 'closed', framesSent: server.framesSent });
    port.close();
  });
} catch (error) {
  post({ type: 'error', message: (error as Error).message });
  port.close();
}
