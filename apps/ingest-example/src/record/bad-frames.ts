/**
 * BadFrameLog — keeps every frame the ingester could not store (malformed, unknown channel, server
 * error, failed write) as JSON Lines {"recv_us", "reason", "data"}, so nothing received is lost
 * without a trace. The file is only created when the first bad frame arrives.
 */
import { createWriteStream, type WriteStream } from 'node:fs';

export class BadFrameLog {
  readonly path: string | null;
  #stream: WriteStream | null = null;
  #count = 0;
  #error: Error | null = null;

  /** A null path counts bad frames without keeping them. */
  constructor(path: string | null) {
    this.path = path;
  }

  get count(): number {
    return this.#count;
  }

  add(recvUs: number, reason: string, data: string): void {
    this.#count++;
    if (this.path === null) return;
    if (this.#stream === null) {
      this.#stream = createWriteStream(this.path, { flags: 'a' });
      this.#stream.on('error', (error) => {
        this.#error = error;
      });
    }
    this.#stream.write(`${JSON.stringify({ recv_us: recvUs, reason, data })}\n`);
  }

  close(): Promise<void> {
    const stream = this.#stream;
    if (stream === null) return Promise.resolve();
    return new Promise((resolve, reject) =>
      stream.end(() => (this.#error ? reject(this.#error) : resolve())),
    );
  }
}
