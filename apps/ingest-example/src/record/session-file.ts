/**
 * The recorded-session format: JSON Lines, one object per received websocket frame,
 *   {"recv_us": <local receive time, integer µs>, "data": "<the frame's raw text>"}
 * and {"recv_us": …, "event": "disconnect"} where the connection dropped. Frames between two
 * disconnects form one segment: what one connection received.
 */
import { readFile } from 'node:fs/promises';

export interface RecordedFrame {
  recvUs: number;
  data: string;
}

/** One connection's frames, and when the recording saw that connection drop (absent at the end of a file). */
export type RecordedSegment = RecordedFrame[] & { endUs?: number };

export type SessionLine = RecordedFrame | { recvUs: number; event: 'disconnect' };

export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
}

export function formatFrameLine(recvUs: number, data: string): string {
  return `{"recv_us":${recvUs},"data":${JSON.stringify(data)}}\n`;
}

export function formatDisconnectLine(recvUs: number): string {
  return `{"recv_us":${recvUs},"event":"disconnect"}\n`;
}

export function parseSessionLine(line: string, where: string): SessionLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new SessionFileError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) throw new SessionFileError(`${where}: not a JSON object`);
  const { recv_us: recvUs, data, event } = value as Record<string, unknown>;
  if (typeof recvUs !== 'number' || !Number.isSafeInteger(recvUs) || recvUs < 0) {
    throw new SessionFileError(
      `${where}: "recv_us" must be a non-negative integer, got ${JSON.stringify(recvUs)}`,
    );
  }
  if (typeof data === 'string') return { recvUs, data };
  if (event === 'disconnect') return { recvUs, event };
  throw new SessionFileError(`${where}: expected "data" (a string) or "event": "disconnect"`);
}

/** Splits a session into per-connection segments; empty segments (back-to-back disconnects) are dropped. */
export function parseSession(text: string, source: string): RecordedSegment[] {
  const segments: RecordedSegment[] = [[]];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const line = parseSessionLine(lines[i], `${source}:${i + 1}`);
    if ('data' in line) segments[segments.length - 1].push(line);
    else {
      segments[segments.length - 1].endUs = line.recvUs;
      segments.push([]);
    }
  }
  return segments.filter((segment) => segment.length > 0);
}

export async function readSession(path: string): Promise<RecordedSegment[]> {
  return parseSession(await readFile(path, 'utf8'), path);
}
