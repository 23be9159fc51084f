import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DeepwaterError } from '@deepwater/errors';
import { type RecordBatch, tableFromIPC } from 'apache-arrow';

/**
 * Parquet decoding runs in a worker thread: parquet-wasm aborts on some damaged files with a
 * WebAssembly trap ("unreachable") raised outside any promise the caller holds, which would
 * otherwise leave the import waiting forever or take the process down. In a worker the trap ends
 * the worker, and the reader gets an ordinary error. At most AHEAD batches are in flight (bounded memory).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openAsBlob } = require('node:fs');
(async () => {
  const parquet = await import(workerData.parquetUrl);
  const file = await parquet.ParquetFile.fromFile(await openAsBlob(workerData.file));
  const stream = await file.stream({ batchSize: workerData.batchSize });
  const reader = stream.getReader();
  // Credits: one per batch the reader asked for; the reader keeps AHEAD batches asked for, so the
  // next batch decodes here while the last one is written there.
  let credits = 0;
  let wake;
  parentPort.on('message', () => {
    credits++;
    if (wake) wake();
  });
  const ask = () => new Promise((resolve) => (credits > 0 ? resolve() : (wake = resolve)));
  for (;;) {
    await ask();
    credits--;
    wake = undefined;
    const next = await reader.read();
    if (next.done) break;
    const ipc = next.value.intoIPCStream();
    parentPort.postMessage({ ipc }, [ipc.buffer]);
  }
  parentPort.postMessage({ done: true });
})().catch((error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error) }));
`;

const parquetUrl = pathToFileURL(createRequire(import.meta.url).resolve('parquet-wasm')).href;

/** Batches asked of the decoder at once: one decoding while the caller uses the other. */
const AHEAD = 2;

type Reply = { ipc: Uint8Array } | { done: true } | { error: string };

/** The record batches of a Parquet file, decoded in a worker thread. */
export async function* parquetFileBatches(file: string, batchSize: number): AsyncGenerator<RecordBatch> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, batchSize, parquetUrl } });
  let failure: Error | undefined;
  const replies: Reply[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (reply: Reply) => {
    replies.push(reply);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new DeepwaterError('ERR_INTERNAL', `the Parquet decoder stopped (exit code ${code})`);
    notify();
  });
  try {
    for (let i = 1; i < AHEAD; i++) worker.postMessage('next');
    for (;;) {
      worker.postMessage('next');
      while (replies.length === 0 && failure === undefined)
        await new Promise<void>((resolve) => (wake = resolve));
      const reply = replies.shift();
      if (reply === undefined) throw failure;
      if ('error' in reply) throw new DeepwaterError('ERR_INTERNAL', reply.error);
      if ('done' in reply) return;
      yield* tableFromIPC(reply.ipc).batches;
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
