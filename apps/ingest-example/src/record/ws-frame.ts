/**
 * A recorded frame as the bytes of one unmasked websocket text frame (RFC 6455 §5.2), built once
 * when a session is loaded, so a replay at full speed only copies bytes instead of framing each
 * message again.
 */

const FIN_TEXT = 0x81;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

export function textFrameBytes(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < LENGTH_16 ? 2 : length <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN_TEXT;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = LENGTH_16;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = LENGTH_64;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** Copies `frames` into one buffer, so a batch leaves in a single socket write. */
export function concatFrames(frames: readonly Buffer[], count: number): Buffer {
  let total = 0;
  for (let i = 0; i < count; i++) total += frames[i].length;
  const batch = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < count; i++) at += frames[i].copy(batch, at);
  return batch;
}
