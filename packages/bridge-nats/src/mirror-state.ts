import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BridgeError } from './errors.js';

/**
 * What a mirror keeps beside its local feed: which stream it follows and the source seq of the
 * local feed's first record (the source may have started after seq 0). With it, the next source
 * seq to consume is always `local next seq + sourceSeqOffset`: the position lives in the feed
 * itself, so a kill between a write and anything else neither loses nor duplicates.
 */
export interface MirrorState {
  stream: string;
  sourceSeqOffset: number;
}

export function mirrorStatePath(basePath: string, feed: string): string {
  return join(basePath, '.bridge', `mirror-${feed}.json`);
}

export function readMirrorState(basePath: string, feed: string): MirrorState | undefined {
  const path = mirrorStatePath(basePath, feed);
  if (!existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, 'utf8')) as Partial<MirrorState>;
  if (typeof state.stream !== 'string' || !Number.isSafeInteger(state.sourceSeqOffset)) {
    throw new BridgeError(
      'ERR_BRIDGE_STREAM',
      `Mirror state ${path} is not valid; delete it with the local feed`,
      {
        feed,
      },
    );
  }
  return state as MirrorState;
}

/** Written (atomically, fsync'd) before the first record, so a crash right after cannot orphan records. */
export function writeMirrorState(basePath: string, feed: string, state: MirrorState): void {
  const path = mirrorStatePath(basePath, feed);
  mkdirSync(join(basePath, '.bridge'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`, { flush: true });
  renameSync(temp, path);
}
