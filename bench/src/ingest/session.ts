/**
 * The ingest scenario's session file: the generator behind the app's bundled fixture, one
 * connection long enough for `frames` frames (the generator's default plan makes ~90 a second).
 */
import { writeFile } from 'node:fs/promises';

export interface SessionFile {
  path: string;
  frames: number;
  /** Bytes of frame text (what goes over the socket), over all frames. */
  bytes: number;
}

const FRAMES_PER_SECOND = 90;

export async function writeSession(path: string, frames: number): Promise<SessionFile> {
  const { DEFAULT_PLAN, generateSession, parseSession } = await import('@deepwater/ingest-example');
  const plan = {
    ...DEFAULT_PLAN,
    segments: [{ durationMs: Math.ceil(frames / FRAMES_PER_SECOND) * 1000, ending: 'end' as const }],
  };
  const text = `${generateSession(plan).lines.join('\n')}\n`;
  await writeFile(path, text);
  const recorded = parseSession(text, path).flat();
  let bytes = 0;
  for (const frame of recorded) bytes += Buffer.byteLength(frame.data);
  return { path, frames: recorded.length, bytes };
}
