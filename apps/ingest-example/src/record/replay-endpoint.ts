/**
 * The replay runner's view of a ReplayServer running elsewhere (a worker thread or a child
 * process): both transports report the same messages, turned into a ReplayEndpoint here.
 */
import type { ReplayWorkerMessage } from './replay-worker-messages.js';

export interface ReplayEndpoint {
  readonly url: string;
  readonly products: string[];
  /** Frames sent so far (known exactly once closed). */
  readonly framesSent: number;
  close(): Promise<void>;
}

/** How to stop the server: ask it to close (resolving once it has), or kill it after an error. */
export interface ReplayTransport {
  close(): Promise<void>;
  abort(): void;
}

/**
 * Returns a listener for the server's messages: the first 'listening' resolves with the endpoint,
 * an 'error' rejects (and aborts the server), logs are forwarded, frame counts kept.
 */
export function replayMessageHandler(
  transport: ReplayTransport,
  log: (message: string) => void,
  resolve: (endpoint: ReplayEndpoint) => void,
  reject: (error: Error) => void,
): (message: ReplayWorkerMessage) => void {
  let framesSent = 0;
  return (message) => {
    switch (message.type) {
      case 'listening':
        resolve({
          url: message.url,
          products: message.products,
          get framesSent() {
            return framesSent;
          },
          close: () => transport.close(),
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
        transport.abort();
        break;
    }
  };
}
