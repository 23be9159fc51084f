import type { Platform } from '@deepwater/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorStream, replicateFeed } from '../src/index.js';
import { useCli } from './helpers/cli-child.js';
import { heldBytes, TRADES, useBases } from './helpers/feeds.js';
import { type NatsServer, natsServerMissing, startNatsServer } from './helpers/nats-server.js';
import { contiguous, streamMessages, until, walkStream } from './helpers/stream-walk.js';

const missing = natsServerMissing();
if (missing !== undefined) console.warn(`skipping bridge crash tests: ${missing}`);

/** A trades feed the test keeps appending to (24-byte records, 1000 per chunk). */
function tradesFeed(p: Platform, feed = 'trades') {
  p.createFeed({ feedName: feed, fields: TRADES, tsCol: 'timestamp_us', chunkSizeBytes: 24 * 1000 });
  const writer = p.createWriter(feed);
  let written = 0;
  return {
    get written() {
      return written;
    },
    write(count: number) {
      const rows: unknown[][] = [];
      for (let i = 0; i < count; i++, written++)
        rows.push([written * 0.5, written % 97, 1_700_000_000_000_000 + written]);
      writer.writeBatch(rows);
    },
    close: () => writer.close(),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

describe.skipIf(missing !== undefined)('crashes and restarts', () => {
  let server: NatsServer & { dispose(): Promise<void> };
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const bases = useBases();
  const cli = useCli();

  it('kill -9 of the replicator mid-stream, then a restart: the stream holds each seq exactly once', async () => {
    const base = bases.base();
    const p = bases.open(base);
    const feed = tradesFeed(p);
    feed.write(20_000);
    const args = [
      'replicate',
      '--server',
      server.url,
      '-b',
      base,
      '--feed',
      'trades',
      '--base-id',
      'crash-rep',
    ];
    const small = ['--stream', 'CRASH_REP', '--batch-bytes', String(24 * 100), '--max-in-flight', '4'];
    const first = cli([...args, ...small]);
    // Keep writing while it publishes, and kill it once the stream holds part of the feed.
    await until(async () => {
      feed.write(100);
      return (await streamMessages(server.url, 'CRASH_REP')) > 20;
    }, 'the first replicator to publish');
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    feed.write(5_000);
    const second = cli([...args, ...small, '--until-caught-up']);
    const result = await second.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/resuming at seq [1-9]/);
    const content = await walkStream(server.url, 'CRASH_REP');
    expect(contiguous(content.spans, feed.written)).toBe(true);
    expect(sameBytes(content.bytes, heldBytes(p, 'trades'))).toBe(true);
    feed.close();
  });

  it('kill -9 of the mirror mid-stream, then a restart: the local feed holds each record exactly once', async () => {
    const base = bases.base();
    const p = bases.open(base);
    const feed = tradesFeed(p);
    feed.write(20_000);
    const replicator = await replicateFeed({
      servers: server.url,
      basePath: base,
      feed: 'trades',
      baseId: 'crash-mir',
      stream: 'CRASH_MIR',
      batchBytes: 24 * 100,
    });
    const mirrorBase = bases.base();
    const args = [
      'mirror',
      '--server',
      server.url,
      '-b',
      mirrorBase,
      '--feed',
      'copy',
      '--stream',
      'CRASH_MIR',
    ];
    const first = cli(args);
    const mirrorPlatform = bases.open(mirrorBase);
    await until(() => {
      feed.write(100);
      try {
        return heldBytes(mirrorPlatform, 'copy').byteLength > 24 * 2000;
      } catch {
        return false; // the mirror has not created the feed yet
      }
    }, 'the first mirror to write');
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    feed.write(5_000);
    await until(() => replicator.stats.nextSeq === feed.written, 'the replicator to catch up');
    await replicator.close();
    const second = cli([...args, '--until-caught-up']);
    const result = await second.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/continues at source seq [1-9]/);
    expect(sameBytes(heldBytes(mirrorPlatform, 'copy'), heldBytes(p, 'trades'))).toBe(true);
    feed.close();
  });

  it('a server killed and restarted: the replicator reconnects and continues with nothing lost', async () => {
    const base = bases.base();
    const p = bases.open(base);
    const feed = tradesFeed(p);
    feed.write(5_000);
    const replicator = await replicateFeed({
      servers: server.url,
      basePath: base,
      feed: 'trades',
      baseId: 'restart',
      stream: 'RESTART',
      batchBytes: 24 * 100,
      ackTimeoutMs: 1000,
    });
    await until(() => replicator.stats.nextSeq > 0, 'first publishes');
    await server.stop('SIGKILL');
    feed.write(5_000);
    await server.restart();
    feed.write(5_000);
    await until(() => replicator.stats.nextSeq === feed.written, 'the replicator to catch up', 60_000);
    expect(replicator.stats.reconnects + replicator.stats.retries).toBeGreaterThan(0);
    await replicator.close();
    const content = await walkStream(server.url, 'RESTART');
    expect(contiguous(content.spans, feed.written)).toBe(true);
    expect(sameBytes(content.bytes, heldBytes(p, 'trades'))).toBe(true);

    const mirrorBase = bases.base();
    const mirror = await mirrorStream({
      servers: server.url,
      basePath: mirrorBase,
      feed: 'copy',
      stream: 'RESTART',
      untilCaughtUp: true,
    });
    await mirror.done;
    expect(sameBytes(heldBytes(bases.open(mirrorBase), 'copy'), heldBytes(p, 'trades'))).toBe(true);
    feed.close();
  });
});
