import { once } from 'node:events';

/**
 * The child side of the harness protocol: read params, run, report `{type:'result'}` or
 * `{type:'error'}` over IPC, and exit once the message is flushed.
 */
export function childMain<P, R>(run: (params: P) => Promise<R> | R): void {
  const params = JSON.parse(process.env.DW_BENCH_PARAMS ?? '{}') as P;
  Promise.resolve()
    .then(() => run(params))
    .then(
      (result) => sendAndExit({ type: 'result', result }, 0),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        sendAndExit({ type: 'error', message }, 1);
      },
    );
}

function sendAndExit(message: object, code: number): void {
  if (!process.send) {
    console.log(JSON.stringify(message));
    process.exit(code);
  }
  process.send(message, undefined, {}, () => process.exit(code));
}

/** Sends a message and resolves once it is written: call before blocking the event loop in a spin. */
export function sendNow(message: object): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** Resolves with the next IPC message of `type` from the harness. */
export async function nextMessage<T extends { type: string }>(type: string): Promise<T> {
  for (;;) {
    const [message] = (await once(process, 'message')) as [T];
    if (message.type === type) return message;
  }
}

/**
 * CLOCK_MONOTONIC in ns as a Number (exact below 2^53 ns ≈ 104 days of uptime). Read through
 * process.hrtime() rather than hrtime.bigint(): once inlined, V8 elides the [s, ns] array, while
 * every bigint is a heap allocation — a sender spinning on the clock allocated ~600 BigInts per
 * ms and ran ~600 scavenges a second, stalls that were then charged to Deepwater's latency.
 */
export function monoNow(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e9 + nanos;
}
