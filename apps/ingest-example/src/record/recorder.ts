/**
 * SessionRecorder — appends every received frame of a live session to a JSON Lines file (see
 * session-file.ts). Buffered through a write stream so recording costs the hot path one string concat.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { formatDisconnectLine, formatFrameLine } from './session-file.js';

export class SessionRecorder {
  readonly path: string;
  readonly #stream: WriteStream;
  #frames = 0;
  #error: Error | null = null;

  constructor(path: string) {
    this.path = path;
    this.#stream = createWriteStream(path, { flags: 'a', highWaterMark: 1 << 20 });
    this.#stream.on('error', (error) => {
      this.#error = error;
    });
  }

  get frames(): number {
    return this.#frames;
  }

  frame(recvUs: number, data: string): void {
    this.#frames++;
    this.#stream.write(formatFrameLine(recvUs, data));
  }

  disconnect(recvUs: number): void {
    this.#stream.write(formatDisconnectLine(recvUs));
  }

  /** Flushes and closes the file; rejects if any write failed. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.end(() => (this.#error ? reject(this.#error) : resolve()));
    });
  }
}
