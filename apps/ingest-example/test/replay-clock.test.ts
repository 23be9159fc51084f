/**
 * --clock: a replay on the recorded clock stamps each record with the recv_us its frame was recorded
 * with, so two replays of one file into two bases store byte-identical feeds; --clock wall stamps the
 * time of the replay itself. Both through the real CLI path (runIngest), websocket and Deepwater.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Platform } from '@deepwater/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { EventKind } from '../src/feeds/schemas.js';
import { silentLogger } from '../src/log.js';
import { readSession } from '../src/record/session-file.js';
import { runIngest } from '../src/run.js';
import { FIXTURE } from './helpers/fixture-reference.js';

const END = Number.MAX_SAFE_INTEGER;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dw-test-clock-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function replayInto(base: string, ...flags: string[]): Promise<void> {
  const config = parseConfig([
    'node',
    'deepwater-ingest',
    '--replay',
    FIXTURE,
    '-b',
    base,
    '--headless',
    ...flags,
  ]);
  const io = { stdin: new PassThrough(), stdout: new PassThrough() };
  await runIngest(config, io, silentLogger);
}

/** Every feed of a base: its records' bytes, and their recv_us column. */
interface FeedContent {
  bytes: Buffer;
  rows: Record<string, unknown>[];
  recvUs: number[];
  kinds: number[];
}

function readBase(base: string): Map<string, FeedContent> {
  const platform = new Platform(base);
  try {
    const feeds = new Map<string, FeedContent>();
    for (const { name } of platform.listFeeds()) {
      const reader = platform.createReader(name, { int64: 'bigint' });
      const bytes = Buffer.from(reader.range(0, END, { format: 'raw' }) as Uint8Array);
      const rows = reader.range(0, END, { format: 'object' }) as Record<string, unknown>[];
      reader.close();
      feeds.set(name, {
        bytes,
        rows,
        recvUs: rows.map((r) => Number(r.recv_us)),
        kinds: rows.map((r) => Number(r.kind ?? 0)),
      });
    }
    return feeds;
  } finally {
    platform.close();
  }
}

describe('replay on the recorded clock', () => {
  let first: ReturnType<typeof readBase>;
  let second: ReturnType<typeof readBase>;
  const recorded = new Set<number>();

  beforeAll(async () => {
    for (const segment of await readSession(FIXTURE)) {
      for (const frame of segment) recorded.add(frame.recvUs);
      if (segment.endUs !== undefined) recorded.add(segment.endUs);
    }
    // Different pacings and server placements: the clock, not the timing, decides the stamps.
    await replayInto(join(dir, 'a'));
    await replayInto(join(dir, 'b'), '--clock', 'recorded', '--speed', '50', '--replay-process');
    first = readBase(join(dir, 'a'));
    second = readBase(join(dir, 'b'));
  });

  it('stores byte-identical records in every feed, trades, L2 and events alike', () => {
    expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
    expect(first.size).toBe(9);
    for (const [name, feed] of first) {
      expect(feed.bytes.length, name).toBeGreaterThan(0);
      expect(feed.rows, name).toEqual(second.get(name)!.rows); // says which record differs, if one does
      expect(feed.bytes.equals(second.get(name)!.bytes), `${name} differs between the two replays`).toBe(
        true,
      );
    }
  });

  it('stamps every record, gap and reconnect events included, with a recorded recv_us', () => {
    for (const [name, feed] of first) {
      for (const us of feed.recvUs)
        expect(recorded.has(us), `${name}: ${us} is not a recorded time`).toBe(true);
    }
    const events = first.get('CB-EVENTS-BTC-USD')!;
    for (const kind of [
      EventKind.SEQUENCE_GAP,
      EventKind.DISCONNECT,
      EventKind.RECONNECT,
      EventKind.RESNAPSHOT,
    ]) {
      expect(events.kinds, `event kind ${kind}`).toContain(kind);
    }
  });
});

describe('replay on the wall clock', () => {
  it('stamps the time of the replay', async () => {
    const base = join(dir, 'wall');
    const before = Date.now() * 1000;
    await replayInto(base, '--clock', 'wall');
    const after = Date.now() * 1000;
    for (const [name, feed] of readBase(base)) {
      expect(feed.recvUs.length, name).toBeGreaterThan(0);
      // Generous bounds: the monotonic receive clock and Date.now() may differ by a few ms.
      for (const us of feed.recvUs) expect(us, name).toBeGreaterThan(before - 1_000_000);
      for (const us of feed.recvUs) expect(us, name).toBeLessThan(after + 1_000_000);
    }
  });
});
