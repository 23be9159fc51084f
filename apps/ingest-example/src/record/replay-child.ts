/**
 * Child-process entry that runs a ReplayServer (see replay-process.ts): the server gets its own core,
 * heap and garbage collector, so the ingesting process's CPU time and pauses are the ingest's alone.
 * Speaks the worker's messages (replay-worker.ts) over the IPC channel.
 */
import { ReplayServer, type ReplaySpeed } from './replay-server.js';
import type { ReplayWorkerMessage } from './replay-worker-messages.js';
import { readSession } from './session-file.js';

const post = (message: ReplayWorkerMessage) => process.send?.(message);

const [file, speedText, stampText] = process.argv.slice(2);
const speed: ReplaySpeed = speedText === 'max' || speedText === 'recorded' ? speedText : Number(speedText);

try {
  const segments = await readSession(file);
  const server = await ReplayServer.start({
    segments,
    speed,
    stampRecvUs: stampText === 'stamp',
    log: (message) => post({ type: 'log', message }),
  });
  post({ type: 'listening', url: server.url, products: server.products, segments: segments.length });
  void server.finished.then(() => post({ type: 'finished', framesSent: server.framesSent }));
  const close = async () => {
    await server.close();
    post({ type: 'closed', framesSent: server.framesSent });
    process.disconnect?.();
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'close') void close();
  });
  // The parent went away without asking: nothing is left to serve.
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
} catch (error) {
  post({ type: 'error', message: (error as Error).message });
  process.disconnect?.();
}
