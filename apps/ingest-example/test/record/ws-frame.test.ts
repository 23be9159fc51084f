import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { concatFrames, textFrameBytes } from '../../src/record/ws-frame.js';

// ws exports the frame parser its clients use, but @types/ws does not declare it.
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer): void;
}
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => FrameReceiver;
};

/** Decodes websocket frames the way a ws client does, returning the text messages in order. */
function receive(bytes: Buffer): string[] {
  const messages: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString());
  });
  receiver.on('error', (error) => {
    throw error;
  });
  receiver.write(bytes);
  return messages;
}

describe('textFrameBytes', () => {
  it.each([0, 1, 125, 126, 127, 65535, 65536, 70000])(
    'frames a %i-byte message a ws client reads back',
    (n) => {
      const text = 'x'.repeat(Math.max(0, n - 2)) + (n >= 2 ? 'é' : 'y'.repeat(n));
      const payload = Buffer.from(text);
      expect(receive(textFrameBytes(payload))).toEqual([text]);
    },
  );

  it('batches frames that are read back as separate messages, in order', () => {
    const texts = ['{"a":1}', 'b'.repeat(300), '{"c":"ü"}'];
    const frames = texts.map((t) => textFrameBytes(Buffer.from(t)));
    expect(receive(concatFrames(frames, 2))).toEqual(texts.slice(0, 2));
    expect(receive(concatFrames(frames, 3))).toEqual(texts);
  });
});
