/**
 * How the replay server tells the ingester a frame's recorded receive time without touching the frame:
 * a websocket ping whose payload is `dw-recv-us:<µs>`, sent before the frames it applies to (and
 * before a recorded disconnect). Control frames arrive in order with the data, so the client knows
 * each frame's recorded time when the frame arrives; the frames themselves stay byte-identical to the
 * recording. Coinbase's own pings carry no such payload and are ignored.
 */
const PREFIX = 'dw-recv-us:';
const PREFIX_BYTES = Buffer.from(PREFIX, 'latin1');
const FIN_PING = 0x89;

export function recvStampPayload(recvUs: number): Buffer {
  return Buffer.from(`${PREFIX}${recvUs}`, 'latin1');
}

/** The recorded time a ping announces, or null for any other ping. */
export function parseRecvStamp(payload: Buffer): number | null {
  if (
    payload.length <= PREFIX_BYTES.length ||
    payload.compare(PREFIX_BYTES, 0, PREFIX_BYTES.length, 0, PREFIX_BYTES.length) !== 0
  )
    return null;
  const value = Number(payload.toString('latin1', PREFIX_BYTES.length));
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** The same ping as the bytes of one unmasked websocket frame, for the server's batched writes. */
export function recvStampFrameBytes(recvUs: number): Buffer {
  const payload = recvStampPayload(recvUs); // < 126 bytes: a control frame's payload limit is 125
  const frame = Buffer.allocUnsafe(2 + payload.length);
  frame[0] = FIN_PING;
  frame[1] = payload.length;
  payload.copy(frame, 2);
  return frame;
}
